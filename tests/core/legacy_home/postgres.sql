--
-- PostgreSQL database dump
--

\restrict TU3JWsA0bylIwbIsHmIQZJZAXn7NVpGfF7y7qqRLnO7Qk1B5cYYxLCgkxsoGObS

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: medic_audit_append_only(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.medic_audit_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: action_runs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.action_runs (
    id integer NOT NULL,
    key character varying(64) NOT NULL,
    incident_id integer NOT NULL,
    model character varying(200) NOT NULL,
    tool character varying(64) NOT NULL,
    args json NOT NULL,
    status character varying(16) NOT NULL,
    result json NOT NULL,
    effective boolean,
    started_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone
);


--
-- Name: action_runs_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.action_runs_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: action_runs_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.action_runs_id_seq OWNED BY public.action_runs.id;


--
-- Name: agent_work; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.agent_work (
    incident_id integer NOT NULL,
    wakes integer NOT NULL,
    done integer NOT NULL,
    owner character varying(128),
    lease_until timestamp with time zone,
    attempts integer NOT NULL,
    last_error text NOT NULL
);


--
-- Name: alerts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alerts (
    id integer NOT NULL,
    incident_id integer NOT NULL,
    fingerprint character varying(128) NOT NULL,
    status character varying(16) NOT NULL,
    payload json NOT NULL,
    received_at timestamp with time zone NOT NULL
);


--
-- Name: alerts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.alerts_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: alerts_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.alerts_id_seq OWNED BY public.alerts.id;


--
-- Name: api_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.api_keys (
    id integer NOT NULL,
    name character varying(200) NOT NULL,
    role character varying(32) NOT NULL,
    prefix character varying(16) NOT NULL,
    hash character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    revoked boolean NOT NULL
);


--
-- Name: api_keys_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.api_keys_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: api_keys_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.api_keys_id_seq OWNED BY public.api_keys.id;


--
-- Name: approvals; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.approvals (
    id integer NOT NULL,
    incident_id integer NOT NULL,
    digest character varying(64) NOT NULL,
    actions json NOT NULL,
    context json NOT NULL,
    status character varying(16) NOT NULL,
    requested_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    decided_by character varying(200),
    decided_role character varying(32),
    decided_at timestamp with time zone,
    comment text NOT NULL
);


--
-- Name: approvals_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.approvals_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: approvals_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.approvals_id_seq OWNED BY public.approvals.id;


--
-- Name: audit_head; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_head (
    id integer NOT NULL,
    last_hash character varying(64) NOT NULL,
    entries integer NOT NULL
);


--
-- Name: audit_head_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.audit_head_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_head_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.audit_head_id_seq OWNED BY public.audit_head.id;


--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_log (
    id integer NOT NULL,
    at timestamp with time zone NOT NULL,
    incident_id integer,
    actor character varying(200) NOT NULL,
    event character varying(64) NOT NULL,
    data json NOT NULL,
    prev_hash character varying(64) NOT NULL,
    hash character varying(64) NOT NULL
);


--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.audit_log_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_log_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.audit_log_id_seq OWNED BY public.audit_log.id;


--
-- Name: console_logins; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.console_logins (
    id character varying(64) NOT NULL,
    name character varying(200) NOT NULL,
    role character varying(32) NOT NULL,
    started_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone
);


--
-- Name: feedback; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.feedback (
    request_id character varying(64) NOT NULL,
    label integer NOT NULL,
    received_at timestamp with time zone NOT NULL
);


--
-- Name: incident_flaps; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.incident_flaps (
    incident_id integer NOT NULL,
    flaps integer NOT NULL,
    last_flap_at timestamp with time zone NOT NULL
);


--
-- Name: incidents; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.incidents (
    id integer NOT NULL,
    fingerprint character varying(128) NOT NULL,
    open_key character varying(128),
    title character varying(500) NOT NULL,
    alert_type character varying(32) NOT NULL,
    state character varying(32) NOT NULL,
    alert json NOT NULL,
    alert_count integer NOT NULL,
    first_seen timestamp with time zone NOT NULL,
    last_seen timestamp with time zone NOT NULL,
    severity_score double precision,
    severity_level character varying(16),
    decided_by character varying(16),
    decision_note text NOT NULL,
    diagnosis json NOT NULL,
    plan json NOT NULL,
    verdict character varying(32),
    outcome text NOT NULL,
    handled boolean NOT NULL,
    resolved_at timestamp with time zone
);


--
-- Name: incidents_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.incidents_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: incidents_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.incidents_id_seq OWNED BY public.incidents.id;


--
-- Name: label_counts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.label_counts (
    slot bigint NOT NULL,
    model_version character varying(32) NOT NULL,
    tp bigint NOT NULL,
    fp bigint NOT NULL,
    fn bigint NOT NULL,
    tn bigint NOT NULL
);


--
-- Name: model_artifacts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.model_artifacts (
    model character varying(200) NOT NULL,
    version character varying(32) NOT NULL,
    uri text NOT NULL,
    scorer json
);


--
-- Name: monitor_history; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.monitor_history (
    id integer NOT NULL,
    name character varying(64) NOT NULL,
    checked_at timestamp with time zone NOT NULL,
    state character varying(32) NOT NULL,
    value double precision,
    points json NOT NULL
);


--
-- Name: monitor_history_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.monitor_history_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: monitor_history_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.monitor_history_id_seq OWNED BY public.monitor_history.id;


--
-- Name: monitor_results; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.monitor_results (
    name character varying(64) NOT NULL,
    result json NOT NULL,
    checked_at timestamp with time zone NOT NULL
);


--
-- Name: monitor_schedule; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.monitor_schedule (
    name character varying(32) NOT NULL,
    next_run_at timestamp with time zone NOT NULL
);


--
-- Name: monitor_states; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.monitor_states (
    name character varying(64) NOT NULL,
    firing boolean NOT NULL,
    breaches integer NOT NULL,
    clears integer NOT NULL,
    level character varying(32) NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: notification_outbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notification_outbox (
    id integer NOT NULL,
    notification_id integer NOT NULL,
    channel character varying(32) NOT NULL,
    message json NOT NULL,
    status character varying(16) NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    last_error text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    sent_at timestamp with time zone
);


--
-- Name: notification_outbox_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.notification_outbox_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: notification_outbox_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.notification_outbox_id_seq OWNED BY public.notification_outbox.id;


--
-- Name: notifications; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.notifications (
    id integer NOT NULL,
    incident_id integer,
    subject character varying(500) NOT NULL,
    body text NOT NULL,
    channels json NOT NULL,
    sent_at timestamp with time zone NOT NULL
);


--
-- Name: notifications_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.notifications_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: notifications_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.notifications_id_seq OWNED BY public.notifications.id;


--
-- Name: prediction_counts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.prediction_counts (
    slot bigint NOT NULL,
    model_version character varying(32) NOT NULL,
    predictions bigint NOT NULL,
    positives bigint NOT NULL
);


--
-- Name: predictions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.predictions (
    id integer NOT NULL,
    request_id character varying(64) NOT NULL,
    features json NOT NULL,
    probability double precision NOT NULL,
    label integer NOT NULL,
    model_version character varying(32) NOT NULL,
    latency_ms double precision NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: predictions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.predictions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: predictions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.predictions_id_seq OWNED BY public.predictions.id;


--
-- Name: pruned_threads; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.pruned_threads (
    incident_id integer NOT NULL,
    pruned_at timestamp with time zone NOT NULL,
    findings json NOT NULL
);


--
-- Name: registry_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.registry_events (
    id integer NOT NULL,
    model character varying(200) NOT NULL,
    action character varying(32) NOT NULL,
    alias character varying(32) NOT NULL,
    version character varying(32) NOT NULL,
    replaced character varying(32),
    actor character varying(200) NOT NULL,
    reason text NOT NULL,
    at timestamp with time zone NOT NULL
);


--
-- Name: registry_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.registry_events_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: registry_events_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.registry_events_id_seq OWNED BY public.registry_events.id;


--
-- Name: registry_locks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.registry_locks (
    model character varying(200) NOT NULL,
    changes integer NOT NULL
);


--
-- Name: seen_signatures; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.seen_signatures (
    signature character varying(128) NOT NULL,
    seen_at timestamp with time zone NOT NULL
);


--
-- Name: serving_generations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.serving_generations (
    model character varying(200) NOT NULL,
    generation integer NOT NULL,
    requested_by character varying(200) NOT NULL,
    requested_at timestamp with time zone
);


--
-- Name: silenced_alerts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.silenced_alerts (
    id integer NOT NULL,
    silence_id integer NOT NULL,
    fingerprint character varying(128) NOT NULL,
    payload json NOT NULL,
    received_at timestamp with time zone NOT NULL
);


--
-- Name: silenced_alerts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.silenced_alerts_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: silenced_alerts_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.silenced_alerts_id_seq OWNED BY public.silenced_alerts.id;


--
-- Name: silences; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.silences (
    id integer NOT NULL,
    matchers json NOT NULL,
    comment text NOT NULL,
    created_by character varying(128) NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    ends_at timestamp with time zone NOT NULL,
    expired_by character varying(128)
);


--
-- Name: silences_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.silences_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: silences_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.silences_id_seq OWNED BY public.silences.id;


--
-- Name: version_training_sets; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.version_training_sets (
    model character varying(200) NOT NULL,
    version character varying(32) NOT NULL,
    path text NOT NULL,
    md5 character varying(64) NOT NULL,
    rows integer NOT NULL
);


--
-- Name: action_runs id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_runs ALTER COLUMN id SET DEFAULT nextval('public.action_runs_id_seq'::regclass);


--
-- Name: alerts id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alerts ALTER COLUMN id SET DEFAULT nextval('public.alerts_id_seq'::regclass);


--
-- Name: api_keys id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_keys ALTER COLUMN id SET DEFAULT nextval('public.api_keys_id_seq'::regclass);


--
-- Name: approvals id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.approvals ALTER COLUMN id SET DEFAULT nextval('public.approvals_id_seq'::regclass);


--
-- Name: audit_head id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_head ALTER COLUMN id SET DEFAULT nextval('public.audit_head_id_seq'::regclass);


--
-- Name: audit_log id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log ALTER COLUMN id SET DEFAULT nextval('public.audit_log_id_seq'::regclass);


--
-- Name: incidents id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incidents ALTER COLUMN id SET DEFAULT nextval('public.incidents_id_seq'::regclass);


--
-- Name: monitor_history id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.monitor_history ALTER COLUMN id SET DEFAULT nextval('public.monitor_history_id_seq'::regclass);


--
-- Name: notification_outbox id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_outbox ALTER COLUMN id SET DEFAULT nextval('public.notification_outbox_id_seq'::regclass);


--
-- Name: notifications id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications ALTER COLUMN id SET DEFAULT nextval('public.notifications_id_seq'::regclass);


--
-- Name: predictions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.predictions ALTER COLUMN id SET DEFAULT nextval('public.predictions_id_seq'::regclass);


--
-- Name: registry_events id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registry_events ALTER COLUMN id SET DEFAULT nextval('public.registry_events_id_seq'::regclass);


--
-- Name: silenced_alerts id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.silenced_alerts ALTER COLUMN id SET DEFAULT nextval('public.silenced_alerts_id_seq'::regclass);


--
-- Name: silences id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.silences ALTER COLUMN id SET DEFAULT nextval('public.silences_id_seq'::regclass);


--
-- Data for Name: action_runs; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: agent_work; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.agent_work VALUES (2, 1, 0, NULL, NULL, 0, '');
INSERT INTO public.agent_work VALUES (3, 1, 0, NULL, NULL, 0, '');
INSERT INTO public.agent_work VALUES (1, 2, 0, NULL, NULL, 0, '');


--
-- Data for Name: alerts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.alerts VALUES (1, 1, 'ed14c92a3a8a29e5aa23650e313b2461', 'firing', '{"source": "medic", "type": "drift", "name": "DataDrift", "status": "firing", "labels": {"severity": "warning"}, "annotations": {"summary": "DataDrift on heart-disease"}, "values": {}, "evidence": null, "fingerprint": "ed14c92a3a8a29e5aa23650e313b2461", "starts_at": null, "ends_at": null}', '2026-12-01 09:00:00+00');
INSERT INTO public.alerts VALUES (2, 2, 'ea9508e21bacdb87a88bbe0d4ad7f7e9', 'firing', '{"source": "medic", "type": "performance", "name": "F1Drop", "status": "firing", "labels": {"severity": "warning"}, "annotations": {"summary": "F1Drop on heart-disease"}, "values": {}, "evidence": null, "fingerprint": "ea9508e21bacdb87a88bbe0d4ad7f7e9", "starts_at": null, "ends_at": null}', '2026-12-01 09:00:00+00');
INSERT INTO public.alerts VALUES (3, 3, '2e4a192cbddc3e38685d1e44cd0a32ef', 'firing', '{"source": "medic", "type": "system_error", "name": "LatencyHigh", "status": "firing", "labels": {"severity": "warning"}, "annotations": {"summary": "LatencyHigh on heart-disease"}, "values": {}, "evidence": null, "fingerprint": "2e4a192cbddc3e38685d1e44cd0a32ef", "starts_at": null, "ends_at": null}', '2026-12-01 09:00:00+00');


--
-- Data for Name: api_keys; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.api_keys VALUES (1, 'ana', 'approver', 'mdk_pfkNQcsY', '8df9cd37227999dd6f1a24945e03221947149fe1a9da7d43680f779baf860816', '2026-12-04 20:29:14.328263+00', false);
INSERT INTO public.api_keys VALUES (2, 'ops', 'operator', 'mdk_wHb52HYG', 'd731bb1a237fd3fe6c46c21a150fa99dac110a77d52a579a34959bf621c1a836', '2026-12-04 20:29:14.36598+00', false);
INSERT INTO public.api_keys VALUES (3, 'bot', 'viewer', 'mdk_lpDF4jYY', '2af2342c900c3510a444d9bd7973597c3a7ba7ff2eacf53db2ba15e696af7d42', '2026-12-04 20:29:14.367879+00', true);


--
-- Data for Name: approvals; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.approvals VALUES (2, 2, 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', '[{"tool": "retrain", "args": {}}]', '{}', 'pending', '2026-12-04 20:29:14.27376+00', '2027-12-01 09:00:00+00', NULL, NULL, NULL, '');
INSERT INTO public.approvals VALUES (1, 1, 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '[{"tool": "rollback", "args": {}}]', '{}', 'approved', '2026-12-04 20:29:14.234236+00', '2027-12-01 09:00:00+00', 'ana', 'approver', '2026-12-01 09:00:00+00', 'fixture');


--
-- Data for Name: audit_head; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.audit_head VALUES (1, '91e9696a29a69538877f1c8273d59347feeb9c2b6318c91d4ba17e901e454491', 10);


--
-- Data for Name: audit_log; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.audit_log VALUES (1, '2026-12-01 09:00:00+00', 1, 'fixture', 'alert_received', '{"alert": "DataDrift", "type": "drift", "fingerprint": "ed14c92a3a8a29e5aa23650e313b2461", "source": "medic"}', '0000000000000000000000000000000000000000000000000000000000000000', 'e664bda290d3789aaf3dbd9a56025b5b475826657fdbd46fe5660821fe15bc66');
INSERT INTO public.audit_log VALUES (2, '2026-12-01 09:00:00+00', 2, 'fixture', 'alert_received', '{"alert": "F1Drop", "type": "performance", "fingerprint": "ea9508e21bacdb87a88bbe0d4ad7f7e9", "source": "medic"}', 'e664bda290d3789aaf3dbd9a56025b5b475826657fdbd46fe5660821fe15bc66', '6f14c63bd4db23fdc00aa773b773fa24554bdc24e3778117c96ba98868cce555');
INSERT INTO public.audit_log VALUES (3, '2026-12-01 09:00:00+00', 3, 'fixture', 'alert_received', '{"alert": "LatencyHigh", "type": "system_error", "fingerprint": "2e4a192cbddc3e38685d1e44cd0a32ef", "source": "medic"}', '6f14c63bd4db23fdc00aa773b773fa24554bdc24e3778117c96ba98868cce555', '98053d89848465e5b10eb7fa6c8135451474fb22b3c616ff026e783e165771df');
INSERT INTO public.audit_log VALUES (4, '2026-12-04 20:29:14.254469+00', 1, 'medic agent', 'approval_requested', '{"approval_id": 1, "digest": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "actions": [{"tool": "rollback", "args": {}}], "expires_at": "2027-12-01T09:00:00+00:00"}', '98053d89848465e5b10eb7fa6c8135451474fb22b3c616ff026e783e165771df', '6f27db829cd5cc5da2b0609150c96cbe19466c27d624a36210b90e044ab4a8b4');
INSERT INTO public.audit_log VALUES (5, '2026-12-04 20:29:14.279772+00', 2, 'medic agent', 'approval_requested', '{"approval_id": 2, "digest": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "actions": [{"tool": "retrain", "args": {}}], "expires_at": "2027-12-01T09:00:00+00:00"}', '6f27db829cd5cc5da2b0609150c96cbe19466c27d624a36210b90e044ab4a8b4', '308e77257588a38055b1dfc1969c2f3799ff4c85d28973c0682fe8c2c5a803a0');
INSERT INTO public.audit_log VALUES (6, '2026-12-04 20:29:14.305506+00', 1, 'ana', 'approval_approved', '{"approval_id": 1, "role": "approver", "comment": "fixture", "digest": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}', '308e77257588a38055b1dfc1969c2f3799ff4c85d28973c0682fe8c2c5a803a0', '64e04d9dcd513a63a6770f00d6d10676ec47515c24e40e0d71db20e518763111');
INSERT INTO public.audit_log VALUES (7, '2026-12-04 20:29:14.355179+00', NULL, 'fixture', 'key_created', '{"name": "ana", "role": "approver", "prefix": "mdk_pfkNQcsY"}', '64e04d9dcd513a63a6770f00d6d10676ec47515c24e40e0d71db20e518763111', 'db7467f1661b31beecbdd7994eed8cfb9d038543450555145ed6b47c48b1b76a');
INSERT INTO public.audit_log VALUES (8, '2026-12-04 20:29:14.365456+00', NULL, 'fixture', 'key_created', '{"name": "ops", "role": "operator", "prefix": "mdk_wHb52HYG"}', 'db7467f1661b31beecbdd7994eed8cfb9d038543450555145ed6b47c48b1b76a', 'c69baa4f04ccb80a5147fa74dd71edb096e0756827407dc6611fe77b7d12e9fd');
INSERT INTO public.audit_log VALUES (9, '2026-12-04 20:29:14.367683+00', NULL, 'fixture', 'key_created', '{"name": "bot", "role": "viewer", "prefix": "mdk_lpDF4jYY"}', 'c69baa4f04ccb80a5147fa74dd71edb096e0756827407dc6611fe77b7d12e9fd', 'e53267f069433ea4e6339e54c04c6ef090ffaade4d4ce7f53dce76f797ca77b6');
INSERT INTO public.audit_log VALUES (10, '2026-12-04 20:29:14.481652+00', NULL, 'fixture', 'key_revoked', '{"name": "bot", "prefix": "mdk_lpDF4jYY"}', 'e53267f069433ea4e6339e54c04c6ef090ffaade4d4ce7f53dce76f797ca77b6', '91e9696a29a69538877f1c8273d59347feeb9c2b6318c91d4ba17e901e454491');


--
-- Data for Name: console_logins; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: feedback; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.feedback VALUES ('r0', 1, '2026-12-04 20:29:14.621166+00');
INSERT INTO public.feedback VALUES ('r3', 0, '2026-12-04 20:29:14.665198+00');
INSERT INTO public.feedback VALUES ('r6', 0, '2026-12-04 20:29:14.7005+00');
INSERT INTO public.feedback VALUES ('r9', 0, '2026-12-04 20:29:14.736173+00');
INSERT INTO public.feedback VALUES ('r12', 1, '2026-12-04 20:29:14.795176+00');
INSERT INTO public.feedback VALUES ('r15', 0, '2026-12-04 20:29:14.873162+00');
INSERT INTO public.feedback VALUES ('r18', 0, '2026-12-04 20:29:14.930067+00');
INSERT INTO public.feedback VALUES ('r21', 0, '2026-12-04 20:29:14.945901+00');
INSERT INTO public.feedback VALUES ('r24', 1, '2026-12-04 20:29:14.961718+00');
INSERT INTO public.feedback VALUES ('r27', 0, '2026-12-04 20:29:14.969762+00');
INSERT INTO public.feedback VALUES ('r30', 0, '2026-12-04 20:29:14.976703+00');
INSERT INTO public.feedback VALUES ('r33', 0, '2026-12-04 20:29:14.986359+00');
INSERT INTO public.feedback VALUES ('r36', 1, '2026-12-04 20:29:14.989727+00');
INSERT INTO public.feedback VALUES ('r39', 0, '2026-12-04 20:29:14.99387+00');
INSERT INTO public.feedback VALUES ('r42', 0, '2026-12-04 20:29:15.002223+00');
INSERT INTO public.feedback VALUES ('r45', 0, '2026-12-04 20:29:15.00633+00');
INSERT INTO public.feedback VALUES ('r48', 1, '2026-12-04 20:29:15.013751+00');
INSERT INTO public.feedback VALUES ('r51', 0, '2026-12-04 20:29:15.018106+00');
INSERT INTO public.feedback VALUES ('r54', 0, '2026-12-04 20:29:15.025867+00');
INSERT INTO public.feedback VALUES ('r57', 0, '2026-12-04 20:29:15.029498+00');
INSERT INTO public.feedback VALUES ('r60', 1, '2026-12-04 20:29:15.042334+00');
INSERT INTO public.feedback VALUES ('r63', 0, '2026-12-04 20:29:15.046327+00');
INSERT INTO public.feedback VALUES ('r66', 0, '2026-12-04 20:29:15.053575+00');
INSERT INTO public.feedback VALUES ('r69', 0, '2026-12-04 20:29:15.058479+00');
INSERT INTO public.feedback VALUES ('r72', 1, '2026-12-04 20:29:15.072281+00');
INSERT INTO public.feedback VALUES ('r75', 0, '2026-12-04 20:29:15.08671+00');
INSERT INTO public.feedback VALUES ('r78', 0, '2026-12-04 20:29:15.099455+00');
INSERT INTO public.feedback VALUES ('r81', 0, '2026-12-04 20:29:15.11415+00');
INSERT INTO public.feedback VALUES ('r84', 1, '2026-12-04 20:29:15.126819+00');
INSERT INTO public.feedback VALUES ('r87', 0, '2026-12-04 20:29:15.142324+00');
INSERT INTO public.feedback VALUES ('r90', 0, '2026-12-04 20:29:15.153738+00');
INSERT INTO public.feedback VALUES ('r93', 0, '2026-12-04 20:29:15.160625+00');
INSERT INTO public.feedback VALUES ('r96', 1, '2026-12-04 20:29:15.1929+00');
INSERT INTO public.feedback VALUES ('r99', 0, '2026-12-04 20:29:15.223863+00');
INSERT INTO public.feedback VALUES ('r102', 0, '2026-12-04 20:29:15.248251+00');
INSERT INTO public.feedback VALUES ('r105', 0, '2026-12-04 20:29:15.310964+00');
INSERT INTO public.feedback VALUES ('r108', 1, '2026-12-04 20:29:15.351048+00');
INSERT INTO public.feedback VALUES ('r111', 0, '2026-12-04 20:29:15.397413+00');
INSERT INTO public.feedback VALUES ('r114', 0, '2026-12-04 20:29:15.444069+00');
INSERT INTO public.feedback VALUES ('r117', 0, '2026-12-04 20:29:15.470167+00');
INSERT INTO public.feedback VALUES ('r120', 1, '2026-12-04 20:29:15.504151+00');
INSERT INTO public.feedback VALUES ('r123', 0, '2026-12-04 20:29:15.629369+00');
INSERT INTO public.feedback VALUES ('r126', 0, '2026-12-04 20:29:15.675418+00');
INSERT INTO public.feedback VALUES ('r129', 0, '2026-12-04 20:29:15.682599+00');
INSERT INTO public.feedback VALUES ('r132', 1, '2026-12-04 20:29:15.697375+00');
INSERT INTO public.feedback VALUES ('r135', 0, '2026-12-04 20:29:15.709641+00');
INSERT INTO public.feedback VALUES ('r138', 0, '2026-12-04 20:29:15.725741+00');
INSERT INTO public.feedback VALUES ('r141', 0, '2026-12-04 20:29:15.77264+00');
INSERT INTO public.feedback VALUES ('r144', 1, '2026-12-04 20:29:16.041849+00');
INSERT INTO public.feedback VALUES ('r147', 0, '2026-12-04 20:29:16.049797+00');
INSERT INTO public.feedback VALUES ('r150', 0, '2026-12-04 20:29:16.063996+00');
INSERT INTO public.feedback VALUES ('r153', 0, '2026-12-04 20:29:16.078517+00');
INSERT INTO public.feedback VALUES ('r156', 1, '2026-12-04 20:29:16.098203+00');
INSERT INTO public.feedback VALUES ('r159', 0, '2026-12-04 20:29:16.110008+00');
INSERT INTO public.feedback VALUES ('r162', 0, '2026-12-04 20:29:16.127325+00');
INSERT INTO public.feedback VALUES ('r165', 0, '2026-12-04 20:29:16.161349+00');
INSERT INTO public.feedback VALUES ('r168', 1, '2026-12-04 20:29:16.196764+00');
INSERT INTO public.feedback VALUES ('r171', 0, '2026-12-04 20:29:16.21879+00');
INSERT INTO public.feedback VALUES ('r174', 0, '2026-12-04 20:29:16.239287+00');
INSERT INTO public.feedback VALUES ('r177', 0, '2026-12-04 20:29:16.429473+00');
INSERT INTO public.feedback VALUES ('r180', 1, '2026-12-04 20:29:16.432555+00');
INSERT INTO public.feedback VALUES ('r183', 0, '2026-12-04 20:29:16.445627+00');
INSERT INTO public.feedback VALUES ('r186', 0, '2026-12-04 20:29:16.466906+00');
INSERT INTO public.feedback VALUES ('r189', 0, '2026-12-04 20:29:16.474695+00');
INSERT INTO public.feedback VALUES ('r192', 1, '2026-12-04 20:29:16.48368+00');
INSERT INTO public.feedback VALUES ('r195', 0, '2026-12-04 20:29:16.496153+00');
INSERT INTO public.feedback VALUES ('r198', 0, '2026-12-04 20:29:16.511159+00');
INSERT INTO public.feedback VALUES ('r201', 0, '2026-12-04 20:29:16.522111+00');
INSERT INTO public.feedback VALUES ('r204', 1, '2026-12-04 20:29:16.530281+00');
INSERT INTO public.feedback VALUES ('r207', 0, '2026-12-04 20:29:16.54094+00');
INSERT INTO public.feedback VALUES ('r210', 0, '2026-12-04 20:29:16.557522+00');
INSERT INTO public.feedback VALUES ('r213', 0, '2026-12-04 20:29:16.569836+00');
INSERT INTO public.feedback VALUES ('r216', 1, '2026-12-04 20:29:16.579752+00');
INSERT INTO public.feedback VALUES ('r219', 0, '2026-12-04 20:29:16.596857+00');
INSERT INTO public.feedback VALUES ('r222', 0, '2026-12-04 20:29:16.612814+00');
INSERT INTO public.feedback VALUES ('r225', 0, '2026-12-04 20:29:16.617127+00');
INSERT INTO public.feedback VALUES ('r228', 1, '2026-12-04 20:29:16.638559+00');
INSERT INTO public.feedback VALUES ('r231', 0, '2026-12-04 20:29:16.654505+00');
INSERT INTO public.feedback VALUES ('r234', 0, '2026-12-04 20:29:16.663356+00');
INSERT INTO public.feedback VALUES ('r237', 0, '2026-12-04 20:29:16.680741+00');
INSERT INTO public.feedback VALUES ('r240', 1, '2026-12-04 20:29:16.709629+00');
INSERT INTO public.feedback VALUES ('r243', 0, '2026-12-04 20:29:16.733443+00');
INSERT INTO public.feedback VALUES ('r246', 0, '2026-12-04 20:29:16.753499+00');
INSERT INTO public.feedback VALUES ('r249', 0, '2026-12-04 20:29:16.771601+00');
INSERT INTO public.feedback VALUES ('r252', 1, '2026-12-04 20:29:16.7984+00');
INSERT INTO public.feedback VALUES ('r255', 0, '2026-12-04 20:29:16.81999+00');
INSERT INTO public.feedback VALUES ('r258', 0, '2026-12-04 20:29:16.833684+00');
INSERT INTO public.feedback VALUES ('r261', 0, '2026-12-04 20:29:16.842239+00');
INSERT INTO public.feedback VALUES ('r264', 1, '2026-12-04 20:29:17.005454+00');
INSERT INTO public.feedback VALUES ('r267', 0, '2026-12-04 20:29:17.02235+00');
INSERT INTO public.feedback VALUES ('r270', 0, '2026-12-04 20:29:17.046554+00');
INSERT INTO public.feedback VALUES ('r273', 0, '2026-12-04 20:29:17.057285+00');
INSERT INTO public.feedback VALUES ('r276', 1, '2026-12-04 20:29:17.070311+00');
INSERT INTO public.feedback VALUES ('r279', 0, '2026-12-04 20:29:17.075768+00');
INSERT INTO public.feedback VALUES ('r282', 0, '2026-12-04 20:29:17.092207+00');
INSERT INTO public.feedback VALUES ('r285', 0, '2026-12-04 20:29:17.105391+00');
INSERT INTO public.feedback VALUES ('r288', 1, '2026-12-04 20:29:17.121352+00');
INSERT INTO public.feedback VALUES ('r291', 0, '2026-12-04 20:29:17.133376+00');
INSERT INTO public.feedback VALUES ('r294', 0, '2026-12-04 20:29:17.14382+00');
INSERT INTO public.feedback VALUES ('r297', 0, '2026-12-04 20:29:17.165537+00');


--
-- Data for Name: incident_flaps; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: incidents; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.incidents VALUES (3, '2e4a192cbddc3e38685d1e44cd0a32ef', '2e4a192cbddc3e38685d1e44cd0a32ef', 'LatencyHigh: LatencyHigh on heart-disease', 'system_error', 'open', '{"source": "medic", "type": "system_error", "name": "LatencyHigh", "status": "firing", "labels": {"severity": "warning"}, "annotations": {"summary": "LatencyHigh on heart-disease"}, "values": {}, "evidence": null, "fingerprint": "2e4a192cbddc3e38685d1e44cd0a32ef", "starts_at": null, "ends_at": null}', 1, '2026-12-01 09:00:00+00', '2026-12-01 09:00:00+00', NULL, NULL, NULL, '', '[]', '[]', NULL, '', false, NULL);
INSERT INTO public.incidents VALUES (1, 'ed14c92a3a8a29e5aa23650e313b2461', 'ed14c92a3a8a29e5aa23650e313b2461', 'DataDrift: DataDrift on heart-disease', 'drift', 'awaiting_approval', '{"source": "medic", "type": "drift", "name": "DataDrift", "status": "firing", "labels": {"severity": "warning"}, "annotations": {"summary": "DataDrift on heart-disease"}, "values": {}, "evidence": null, "fingerprint": "ed14c92a3a8a29e5aa23650e313b2461", "starts_at": null, "ends_at": null}', 1, '2026-12-01 09:00:00+00', '2026-12-01 09:00:00+00', NULL, NULL, NULL, '', '[]', '[]', NULL, '', false, NULL);
INSERT INTO public.incidents VALUES (2, 'ea9508e21bacdb87a88bbe0d4ad7f7e9', 'ea9508e21bacdb87a88bbe0d4ad7f7e9', 'F1Drop: F1Drop on heart-disease', 'performance', 'awaiting_approval', '{"source": "medic", "type": "performance", "name": "F1Drop", "status": "firing", "labels": {"severity": "warning"}, "annotations": {"summary": "F1Drop on heart-disease"}, "values": {}, "evidence": null, "fingerprint": "ea9508e21bacdb87a88bbe0d4ad7f7e9", "starts_at": null, "ends_at": null}', 1, '2026-12-01 09:00:00+00', '2026-12-01 09:00:00+00', NULL, NULL, NULL, '', '[]', '[]', NULL, '', false, NULL);


--
-- Data for Name: label_counts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.label_counts VALUES (1796115600, '1', 0, 0, 1, 1);
INSERT INTO public.label_counts VALUES (1796115630, '1', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796115660, '1', 0, 1, 1, 0);
INSERT INTO public.label_counts VALUES (1796115690, '1', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796115720, '1', 0, 1, 0, 1);
INSERT INTO public.label_counts VALUES (1796115750, '1', 0, 0, 1, 0);
INSERT INTO public.label_counts VALUES (1796115780, '1', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796115810, '1', 0, 0, 0, 2);
INSERT INTO public.label_counts VALUES (1796115840, '1', 1, 0, 0, 0);
INSERT INTO public.label_counts VALUES (1796115870, '1', 0, 1, 0, 1);
INSERT INTO public.label_counts VALUES (1796115900, '1', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796115930, '1', 1, 0, 0, 1);
INSERT INTO public.label_counts VALUES (1796115960, '1', 0, 0, 0, 1);
INSERT INTO public.label_counts VALUES (1796115990, '1', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796116020, '1', 0, 0, 1, 1);
INSERT INTO public.label_counts VALUES (1796116050, '1', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796116080, '1', 0, 1, 1, 0);
INSERT INTO public.label_counts VALUES (1796116110, '1', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796116140, '1', 0, 1, 0, 1);
INSERT INTO public.label_counts VALUES (1796116170, '1', 0, 0, 1, 0);
INSERT INTO public.label_counts VALUES (1796116200, '1', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796116230, '1', 0, 0, 0, 2);
INSERT INTO public.label_counts VALUES (1796116260, '1', 1, 0, 0, 0);
INSERT INTO public.label_counts VALUES (1796116290, '1', 0, 1, 0, 1);
INSERT INTO public.label_counts VALUES (1796116320, '1', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796116350, '1', 1, 0, 0, 1);
INSERT INTO public.label_counts VALUES (1796116380, '1', 0, 0, 0, 1);
INSERT INTO public.label_counts VALUES (1796116410, '1', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796116440, '1', 0, 0, 1, 1);
INSERT INTO public.label_counts VALUES (1796116470, '1', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796116500, '1', 0, 1, 1, 0);
INSERT INTO public.label_counts VALUES (1796116530, '1', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796116560, '1', 0, 1, 0, 1);
INSERT INTO public.label_counts VALUES (1796116590, '1', 0, 0, 1, 0);
INSERT INTO public.label_counts VALUES (1796116620, '1', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796116650, '2', 0, 0, 0, 2);
INSERT INTO public.label_counts VALUES (1796116680, '2', 1, 0, 0, 0);
INSERT INTO public.label_counts VALUES (1796116710, '2', 0, 1, 0, 1);
INSERT INTO public.label_counts VALUES (1796116740, '2', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796116770, '2', 1, 0, 0, 1);
INSERT INTO public.label_counts VALUES (1796116800, '2', 0, 0, 0, 1);
INSERT INTO public.label_counts VALUES (1796116830, '2', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796116860, '2', 0, 0, 1, 1);
INSERT INTO public.label_counts VALUES (1796116890, '2', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796116920, '2', 0, 1, 1, 0);
INSERT INTO public.label_counts VALUES (1796116950, '2', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796116980, '2', 0, 1, 0, 1);
INSERT INTO public.label_counts VALUES (1796117010, '2', 0, 0, 1, 0);
INSERT INTO public.label_counts VALUES (1796117040, '2', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796117070, '2', 0, 0, 0, 2);
INSERT INTO public.label_counts VALUES (1796117100, '2', 1, 0, 0, 0);
INSERT INTO public.label_counts VALUES (1796117130, '2', 0, 1, 0, 1);
INSERT INTO public.label_counts VALUES (1796117160, '2', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796117190, '2', 1, 0, 0, 1);
INSERT INTO public.label_counts VALUES (1796117220, '2', 0, 0, 0, 1);
INSERT INTO public.label_counts VALUES (1796117250, '2', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796117280, '2', 0, 0, 1, 1);
INSERT INTO public.label_counts VALUES (1796117310, '2', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796117340, '2', 0, 1, 1, 0);
INSERT INTO public.label_counts VALUES (1796117370, '2', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796117400, '2', 0, 1, 0, 1);
INSERT INTO public.label_counts VALUES (1796117430, '2', 0, 0, 1, 0);
INSERT INTO public.label_counts VALUES (1796117460, '2', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796117490, '2', 0, 0, 0, 2);
INSERT INTO public.label_counts VALUES (1796117520, '2', 1, 0, 0, 0);
INSERT INTO public.label_counts VALUES (1796117550, '2', 0, 1, 0, 1);
INSERT INTO public.label_counts VALUES (1796117580, '2', 0, 1, 0, 0);
INSERT INTO public.label_counts VALUES (1796117610, '2', 1, 0, 0, 1);
INSERT INTO public.label_counts VALUES (1796117640, '2', 0, 0, 0, 1);
INSERT INTO public.label_counts VALUES (1796117670, '2', 0, 1, 0, 0);


--
-- Data for Name: model_artifacts; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: monitor_history; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.monitor_history VALUES (1, 'data_drift', '2026-12-01 09:00:00+00', 'ok', 0, '{"age": 0.0}');
INSERT INTO public.monitor_history VALUES (2, 'f1', '2026-12-01 09:00:00+00', 'ok', 0.8, '{"f1": 0.8}');
INSERT INTO public.monitor_history VALUES (3, 'data_drift', '2026-12-01 10:00:00+00', 'ok', 0.05, '{"age": 0.05}');
INSERT INTO public.monitor_history VALUES (4, 'f1', '2026-12-01 10:00:00+00', 'ok', 0.8, '{"f1": 0.8}');
INSERT INTO public.monitor_history VALUES (5, 'data_drift', '2026-12-01 11:00:00+00', 'ok', 0.1, '{"age": 0.1}');
INSERT INTO public.monitor_history VALUES (6, 'f1', '2026-12-01 11:00:00+00', 'ok', 0.8, '{"f1": 0.8}');
INSERT INTO public.monitor_history VALUES (7, 'data_drift', '2026-12-01 12:00:00+00', 'ok', 0.15, '{"age": 0.15}');
INSERT INTO public.monitor_history VALUES (8, 'f1', '2026-12-01 12:00:00+00', 'ok', 0.8, '{"f1": 0.8}');
INSERT INTO public.monitor_history VALUES (9, 'data_drift', '2026-12-01 13:00:00+00', 'ok', 0.2, '{"age": 0.2}');
INSERT INTO public.monitor_history VALUES (10, 'f1', '2026-12-01 13:00:00+00', 'ok', 0.8, '{"f1": 0.8}');
INSERT INTO public.monitor_history VALUES (11, 'data_drift', '2026-12-01 14:00:00+00', 'ok', 0.25, '{"age": 0.25}');
INSERT INTO public.monitor_history VALUES (12, 'f1', '2026-12-01 14:00:00+00', 'ok', 0.8, '{"f1": 0.8}');
INSERT INTO public.monitor_history VALUES (13, 'data_drift', '2026-12-01 15:00:00+00', 'ok', 0.3, '{"age": 0.3}');
INSERT INTO public.monitor_history VALUES (14, 'f1', '2026-12-01 15:00:00+00', 'ok', 0.8, '{"f1": 0.8}');
INSERT INTO public.monitor_history VALUES (15, 'data_drift', '2026-12-01 16:00:00+00', 'ok', 0.35, '{"age": 0.35}');
INSERT INTO public.monitor_history VALUES (16, 'f1', '2026-12-01 16:00:00+00', 'ok', 0.8, '{"f1": 0.8}');
INSERT INTO public.monitor_history VALUES (17, 'data_drift', '2026-12-01 17:00:00+00', 'firing', 0.4, '{"age": 0.4}');
INSERT INTO public.monitor_history VALUES (18, 'f1', '2026-12-01 17:00:00+00', 'ok', 0.8, '{"f1": 0.8}');
INSERT INTO public.monitor_history VALUES (19, 'data_drift', '2026-12-01 18:00:00+00', 'firing', 0.45, '{"age": 0.45}');
INSERT INTO public.monitor_history VALUES (20, 'f1', '2026-12-01 18:00:00+00', 'ok', 0.8, '{"f1": 0.8}');
INSERT INTO public.monitor_history VALUES (21, 'data_drift', '2026-12-01 19:00:00+00', 'firing', 0.5, '{"age": 0.5}');
INSERT INTO public.monitor_history VALUES (22, 'f1', '2026-12-01 19:00:00+00', 'ok', 0.8, '{"f1": 0.8}');
INSERT INTO public.monitor_history VALUES (23, 'data_drift', '2026-12-01 20:00:00+00', 'firing', 0.55, '{"age": 0.55}');
INSERT INTO public.monitor_history VALUES (24, 'f1', '2026-12-01 20:00:00+00', 'ok', 0.8, '{"f1": 0.8}');


--
-- Data for Name: monitor_results; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: monitor_schedule; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: monitor_states; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.monitor_states VALUES ('data_drift', true, 4, 0, 'warning', '2026-12-04 20:29:17.401247+00');


--
-- Data for Name: notification_outbox; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: notifications; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: prediction_counts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.prediction_counts VALUES (1796115600, '1', 5, 0);
INSERT INTO public.prediction_counts VALUES (1796115630, '1', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796115660, '1', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796115690, '1', 5, 3);
INSERT INTO public.prediction_counts VALUES (1796115720, '1', 4, 2);
INSERT INTO public.prediction_counts VALUES (1796115750, '1', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796115780, '1', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796115810, '1', 5, 0);
INSERT INTO public.prediction_counts VALUES (1796115840, '1', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796115870, '1', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796115900, '1', 5, 3);
INSERT INTO public.prediction_counts VALUES (1796115930, '1', 4, 2);
INSERT INTO public.prediction_counts VALUES (1796115960, '1', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796115990, '1', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796116020, '1', 5, 0);
INSERT INTO public.prediction_counts VALUES (1796116050, '1', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796116080, '1', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796116110, '1', 5, 3);
INSERT INTO public.prediction_counts VALUES (1796116140, '1', 4, 2);
INSERT INTO public.prediction_counts VALUES (1796116170, '1', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796116200, '1', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796116230, '1', 5, 0);
INSERT INTO public.prediction_counts VALUES (1796116260, '1', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796116290, '1', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796116320, '1', 5, 3);
INSERT INTO public.prediction_counts VALUES (1796116350, '1', 4, 2);
INSERT INTO public.prediction_counts VALUES (1796116380, '1', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796116410, '1', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796116440, '1', 5, 0);
INSERT INTO public.prediction_counts VALUES (1796116470, '1', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796116500, '1', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796116530, '1', 5, 3);
INSERT INTO public.prediction_counts VALUES (1796116560, '1', 4, 2);
INSERT INTO public.prediction_counts VALUES (1796116590, '1', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796116620, '1', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796116650, '2', 5, 0);
INSERT INTO public.prediction_counts VALUES (1796116680, '2', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796116710, '2', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796116740, '2', 5, 3);
INSERT INTO public.prediction_counts VALUES (1796116770, '2', 4, 2);
INSERT INTO public.prediction_counts VALUES (1796116800, '2', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796116830, '2', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796116860, '2', 5, 0);
INSERT INTO public.prediction_counts VALUES (1796116890, '2', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796116920, '2', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796116950, '2', 5, 3);
INSERT INTO public.prediction_counts VALUES (1796116980, '2', 4, 2);
INSERT INTO public.prediction_counts VALUES (1796117010, '2', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796117040, '2', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796117070, '2', 5, 0);
INSERT INTO public.prediction_counts VALUES (1796117100, '2', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796117130, '2', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796117160, '2', 5, 3);
INSERT INTO public.prediction_counts VALUES (1796117190, '2', 4, 2);
INSERT INTO public.prediction_counts VALUES (1796117220, '2', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796117250, '2', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796117280, '2', 5, 0);
INSERT INTO public.prediction_counts VALUES (1796117310, '2', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796117340, '2', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796117370, '2', 5, 3);
INSERT INTO public.prediction_counts VALUES (1796117400, '2', 4, 2);
INSERT INTO public.prediction_counts VALUES (1796117430, '2', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796117460, '2', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796117490, '2', 5, 0);
INSERT INTO public.prediction_counts VALUES (1796117520, '2', 4, 4);
INSERT INTO public.prediction_counts VALUES (1796117550, '2', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796117580, '2', 5, 3);
INSERT INTO public.prediction_counts VALUES (1796117610, '2', 4, 2);
INSERT INTO public.prediction_counts VALUES (1796117640, '2', 4, 1);
INSERT INTO public.prediction_counts VALUES (1796117670, '2', 4, 4);


--
-- Data for Name: predictions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.predictions VALUES (1, 'r0', '{"age": 40.0}', 0, 0, '1', 1.5, '2026-12-01 09:00:00+00');
INSERT INTO public.predictions VALUES (2, 'r1', '{"age": 41.0}', 0.1, 0, '1', 1.5, '2026-12-01 09:00:07+00');
INSERT INTO public.predictions VALUES (3, 'r2', '{"age": 42.0}', 0.2, 0, '1', 1.5, '2026-12-01 09:00:14+00');
INSERT INTO public.predictions VALUES (4, 'r3', '{"age": 43.0}', 0.3, 0, '1', 1.5, '2026-12-01 09:00:21+00');
INSERT INTO public.predictions VALUES (5, 'r4', '{"age": 44.0}', 0.4, 0, '1', 1.5, '2026-12-01 09:00:28+00');
INSERT INTO public.predictions VALUES (6, 'r5', '{"age": 45.0}', 0.5, 1, '1', 1.5, '2026-12-01 09:00:35+00');
INSERT INTO public.predictions VALUES (7, 'r6', '{"age": 46.0}', 0.6, 1, '1', 1.5, '2026-12-01 09:00:42+00');
INSERT INTO public.predictions VALUES (8, 'r7', '{"age": 47.0}', 0.7, 1, '1', 1.5, '2026-12-01 09:00:49+00');
INSERT INTO public.predictions VALUES (9, 'r8', '{"age": 48.0}', 0.8, 1, '1', 1.5, '2026-12-01 09:00:56+00');
INSERT INTO public.predictions VALUES (10, 'r9', '{"age": 49.0}', 0.9, 1, '1', 1.5, '2026-12-01 09:01:03+00');
INSERT INTO public.predictions VALUES (11, 'r10', '{"age": 50.0}', 0, 0, '1', 1.5, '2026-12-01 09:01:10+00');
INSERT INTO public.predictions VALUES (12, 'r11', '{"age": 51.0}', 0.1, 0, '1', 1.5, '2026-12-01 09:01:17+00');
INSERT INTO public.predictions VALUES (13, 'r12', '{"age": 52.0}', 0.2, 0, '1', 1.5, '2026-12-01 09:01:24+00');
INSERT INTO public.predictions VALUES (14, 'r13', '{"age": 53.0}', 0.3, 0, '1', 1.5, '2026-12-01 09:01:31+00');
INSERT INTO public.predictions VALUES (15, 'r14', '{"age": 54.0}', 0.4, 0, '1', 1.5, '2026-12-01 09:01:38+00');
INSERT INTO public.predictions VALUES (16, 'r15', '{"age": 55.0}', 0.5, 1, '1', 1.5, '2026-12-01 09:01:45+00');
INSERT INTO public.predictions VALUES (17, 'r16', '{"age": 56.0}', 0.6, 1, '1', 1.5, '2026-12-01 09:01:52+00');
INSERT INTO public.predictions VALUES (18, 'r17', '{"age": 57.0}', 0.7, 1, '1', 1.5, '2026-12-01 09:01:59+00');
INSERT INTO public.predictions VALUES (19, 'r18', '{"age": 58.0}', 0.8, 1, '1', 1.5, '2026-12-01 09:02:06+00');
INSERT INTO public.predictions VALUES (20, 'r19', '{"age": 59.0}', 0.9, 1, '1', 1.5, '2026-12-01 09:02:13+00');
INSERT INTO public.predictions VALUES (21, 'r20', '{"age": 60.0}', 0, 0, '1', 1.5, '2026-12-01 09:02:20+00');
INSERT INTO public.predictions VALUES (22, 'r21', '{"age": 61.0}', 0.1, 0, '1', 1.5, '2026-12-01 09:02:27+00');
INSERT INTO public.predictions VALUES (23, 'r22', '{"age": 62.0}', 0.2, 0, '1', 1.5, '2026-12-01 09:02:34+00');
INSERT INTO public.predictions VALUES (24, 'r23', '{"age": 63.0}', 0.3, 0, '1', 1.5, '2026-12-01 09:02:41+00');
INSERT INTO public.predictions VALUES (25, 'r24', '{"age": 64.0}', 0.4, 0, '1', 1.5, '2026-12-01 09:02:48+00');
INSERT INTO public.predictions VALUES (26, 'r25', '{"age": 65.0}', 0.5, 1, '1', 1.5, '2026-12-01 09:02:55+00');
INSERT INTO public.predictions VALUES (27, 'r26', '{"age": 66.0}', 0.6, 1, '1', 1.5, '2026-12-01 09:03:02+00');
INSERT INTO public.predictions VALUES (28, 'r27', '{"age": 67.0}', 0.7, 1, '1', 1.5, '2026-12-01 09:03:09+00');
INSERT INTO public.predictions VALUES (29, 'r28', '{"age": 68.0}', 0.8, 1, '1', 1.5, '2026-12-01 09:03:16+00');
INSERT INTO public.predictions VALUES (30, 'r29', '{"age": 69.0}', 0.9, 1, '1', 1.5, '2026-12-01 09:03:23+00');
INSERT INTO public.predictions VALUES (31, 'r30', '{"age": 40.0}', 0, 0, '1', 1.5, '2026-12-01 09:03:30+00');
INSERT INTO public.predictions VALUES (32, 'r31', '{"age": 41.0}', 0.1, 0, '1', 1.5, '2026-12-01 09:03:37+00');
INSERT INTO public.predictions VALUES (33, 'r32', '{"age": 42.0}', 0.2, 0, '1', 1.5, '2026-12-01 09:03:44+00');
INSERT INTO public.predictions VALUES (34, 'r33', '{"age": 43.0}', 0.3, 0, '1', 1.5, '2026-12-01 09:03:51+00');
INSERT INTO public.predictions VALUES (35, 'r34', '{"age": 44.0}', 0.4, 0, '1', 1.5, '2026-12-01 09:03:58+00');
INSERT INTO public.predictions VALUES (36, 'r35', '{"age": 45.0}', 0.5, 1, '1', 1.5, '2026-12-01 09:04:05+00');
INSERT INTO public.predictions VALUES (37, 'r36', '{"age": 46.0}', 0.6, 1, '1', 1.5, '2026-12-01 09:04:12+00');
INSERT INTO public.predictions VALUES (38, 'r37', '{"age": 47.0}', 0.7, 1, '1', 1.5, '2026-12-01 09:04:19+00');
INSERT INTO public.predictions VALUES (39, 'r38', '{"age": 48.0}', 0.8, 1, '1', 1.5, '2026-12-01 09:04:26+00');
INSERT INTO public.predictions VALUES (40, 'r39', '{"age": 49.0}', 0.9, 1, '1', 1.5, '2026-12-01 09:04:33+00');
INSERT INTO public.predictions VALUES (41, 'r40', '{"age": 50.0}', 0, 0, '1', 1.5, '2026-12-01 09:04:40+00');
INSERT INTO public.predictions VALUES (42, 'r41', '{"age": 51.0}', 0.1, 0, '1', 1.5, '2026-12-01 09:04:47+00');
INSERT INTO public.predictions VALUES (43, 'r42', '{"age": 52.0}', 0.2, 0, '1', 1.5, '2026-12-01 09:04:54+00');
INSERT INTO public.predictions VALUES (44, 'r43', '{"age": 53.0}', 0.3, 0, '1', 1.5, '2026-12-01 09:05:01+00');
INSERT INTO public.predictions VALUES (45, 'r44', '{"age": 54.0}', 0.4, 0, '1', 1.5, '2026-12-01 09:05:08+00');
INSERT INTO public.predictions VALUES (46, 'r45', '{"age": 55.0}', 0.5, 1, '1', 1.5, '2026-12-01 09:05:15+00');
INSERT INTO public.predictions VALUES (47, 'r46', '{"age": 56.0}', 0.6, 1, '1', 1.5, '2026-12-01 09:05:22+00');
INSERT INTO public.predictions VALUES (48, 'r47', '{"age": 57.0}', 0.7, 1, '1', 1.5, '2026-12-01 09:05:29+00');
INSERT INTO public.predictions VALUES (49, 'r48', '{"age": 58.0}', 0.8, 1, '1', 1.5, '2026-12-01 09:05:36+00');
INSERT INTO public.predictions VALUES (50, 'r49', '{"age": 59.0}', 0.9, 1, '1', 1.5, '2026-12-01 09:05:43+00');
INSERT INTO public.predictions VALUES (51, 'r50', '{"age": 60.0}', 0, 0, '1', 1.5, '2026-12-01 09:05:50+00');
INSERT INTO public.predictions VALUES (52, 'r51', '{"age": 61.0}', 0.1, 0, '1', 1.5, '2026-12-01 09:05:57+00');
INSERT INTO public.predictions VALUES (53, 'r52', '{"age": 62.0}', 0.2, 0, '1', 1.5, '2026-12-01 09:06:04+00');
INSERT INTO public.predictions VALUES (54, 'r53', '{"age": 63.0}', 0.3, 0, '1', 1.5, '2026-12-01 09:06:11+00');
INSERT INTO public.predictions VALUES (55, 'r54', '{"age": 64.0}', 0.4, 0, '1', 1.5, '2026-12-01 09:06:18+00');
INSERT INTO public.predictions VALUES (56, 'r55', '{"age": 65.0}', 0.5, 1, '1', 1.5, '2026-12-01 09:06:25+00');
INSERT INTO public.predictions VALUES (57, 'r56', '{"age": 66.0}', 0.6, 1, '1', 1.5, '2026-12-01 09:06:32+00');
INSERT INTO public.predictions VALUES (58, 'r57', '{"age": 67.0}', 0.7, 1, '1', 1.5, '2026-12-01 09:06:39+00');
INSERT INTO public.predictions VALUES (59, 'r58', '{"age": 68.0}', 0.8, 1, '1', 1.5, '2026-12-01 09:06:46+00');
INSERT INTO public.predictions VALUES (60, 'r59', '{"age": 69.0}', 0.9, 1, '1', 1.5, '2026-12-01 09:06:53+00');
INSERT INTO public.predictions VALUES (61, 'r60', '{"age": 40.0}', 0, 0, '1', 1.5, '2026-12-01 09:07:00+00');
INSERT INTO public.predictions VALUES (62, 'r61', '{"age": 41.0}', 0.1, 0, '1', 1.5, '2026-12-01 09:07:07+00');
INSERT INTO public.predictions VALUES (63, 'r62', '{"age": 42.0}', 0.2, 0, '1', 1.5, '2026-12-01 09:07:14+00');
INSERT INTO public.predictions VALUES (64, 'r63', '{"age": 43.0}', 0.3, 0, '1', 1.5, '2026-12-01 09:07:21+00');
INSERT INTO public.predictions VALUES (65, 'r64', '{"age": 44.0}', 0.4, 0, '1', 1.5, '2026-12-01 09:07:28+00');
INSERT INTO public.predictions VALUES (66, 'r65', '{"age": 45.0}', 0.5, 1, '1', 1.5, '2026-12-01 09:07:35+00');
INSERT INTO public.predictions VALUES (67, 'r66', '{"age": 46.0}', 0.6, 1, '1', 1.5, '2026-12-01 09:07:42+00');
INSERT INTO public.predictions VALUES (68, 'r67', '{"age": 47.0}', 0.7, 1, '1', 1.5, '2026-12-01 09:07:49+00');
INSERT INTO public.predictions VALUES (69, 'r68', '{"age": 48.0}', 0.8, 1, '1', 1.5, '2026-12-01 09:07:56+00');
INSERT INTO public.predictions VALUES (70, 'r69', '{"age": 49.0}', 0.9, 1, '1', 1.5, '2026-12-01 09:08:03+00');
INSERT INTO public.predictions VALUES (71, 'r70', '{"age": 50.0}', 0, 0, '1', 1.5, '2026-12-01 09:08:10+00');
INSERT INTO public.predictions VALUES (72, 'r71', '{"age": 51.0}', 0.1, 0, '1', 1.5, '2026-12-01 09:08:17+00');
INSERT INTO public.predictions VALUES (73, 'r72', '{"age": 52.0}', 0.2, 0, '1', 1.5, '2026-12-01 09:08:24+00');
INSERT INTO public.predictions VALUES (74, 'r73', '{"age": 53.0}', 0.3, 0, '1', 1.5, '2026-12-01 09:08:31+00');
INSERT INTO public.predictions VALUES (75, 'r74', '{"age": 54.0}', 0.4, 0, '1', 1.5, '2026-12-01 09:08:38+00');
INSERT INTO public.predictions VALUES (76, 'r75', '{"age": 55.0}', 0.5, 1, '1', 1.5, '2026-12-01 09:08:45+00');
INSERT INTO public.predictions VALUES (77, 'r76', '{"age": 56.0}', 0.6, 1, '1', 1.5, '2026-12-01 09:08:52+00');
INSERT INTO public.predictions VALUES (78, 'r77', '{"age": 57.0}', 0.7, 1, '1', 1.5, '2026-12-01 09:08:59+00');
INSERT INTO public.predictions VALUES (79, 'r78', '{"age": 58.0}', 0.8, 1, '1', 1.5, '2026-12-01 09:09:06+00');
INSERT INTO public.predictions VALUES (80, 'r79', '{"age": 59.0}', 0.9, 1, '1', 1.5, '2026-12-01 09:09:13+00');
INSERT INTO public.predictions VALUES (81, 'r80', '{"age": 60.0}', 0, 0, '1', 1.5, '2026-12-01 09:09:20+00');
INSERT INTO public.predictions VALUES (82, 'r81', '{"age": 61.0}', 0.1, 0, '1', 1.5, '2026-12-01 09:09:27+00');
INSERT INTO public.predictions VALUES (83, 'r82', '{"age": 62.0}', 0.2, 0, '1', 1.5, '2026-12-01 09:09:34+00');
INSERT INTO public.predictions VALUES (84, 'r83', '{"age": 63.0}', 0.3, 0, '1', 1.5, '2026-12-01 09:09:41+00');
INSERT INTO public.predictions VALUES (85, 'r84', '{"age": 64.0}', 0.4, 0, '1', 1.5, '2026-12-01 09:09:48+00');
INSERT INTO public.predictions VALUES (86, 'r85', '{"age": 65.0}', 0.5, 1, '1', 1.5, '2026-12-01 09:09:55+00');
INSERT INTO public.predictions VALUES (87, 'r86', '{"age": 66.0}', 0.6, 1, '1', 1.5, '2026-12-01 09:10:02+00');
INSERT INTO public.predictions VALUES (88, 'r87', '{"age": 67.0}', 0.7, 1, '1', 1.5, '2026-12-01 09:10:09+00');
INSERT INTO public.predictions VALUES (89, 'r88', '{"age": 68.0}', 0.8, 1, '1', 1.5, '2026-12-01 09:10:16+00');
INSERT INTO public.predictions VALUES (90, 'r89', '{"age": 69.0}', 0.9, 1, '1', 1.5, '2026-12-01 09:10:23+00');
INSERT INTO public.predictions VALUES (91, 'r90', '{"age": 40.0}', 0, 0, '1', 1.5, '2026-12-01 09:10:30+00');
INSERT INTO public.predictions VALUES (92, 'r91', '{"age": 41.0}', 0.1, 0, '1', 1.5, '2026-12-01 09:10:37+00');
INSERT INTO public.predictions VALUES (93, 'r92', '{"age": 42.0}', 0.2, 0, '1', 1.5, '2026-12-01 09:10:44+00');
INSERT INTO public.predictions VALUES (94, 'r93', '{"age": 43.0}', 0.3, 0, '1', 1.5, '2026-12-01 09:10:51+00');
INSERT INTO public.predictions VALUES (95, 'r94', '{"age": 44.0}', 0.4, 0, '1', 1.5, '2026-12-01 09:10:58+00');
INSERT INTO public.predictions VALUES (96, 'r95', '{"age": 45.0}', 0.5, 1, '1', 1.5, '2026-12-01 09:11:05+00');
INSERT INTO public.predictions VALUES (97, 'r96', '{"age": 46.0}', 0.6, 1, '1', 1.5, '2026-12-01 09:11:12+00');
INSERT INTO public.predictions VALUES (98, 'r97', '{"age": 47.0}', 0.7, 1, '1', 1.5, '2026-12-01 09:11:19+00');
INSERT INTO public.predictions VALUES (99, 'r98', '{"age": 48.0}', 0.8, 1, '1', 1.5, '2026-12-01 09:11:26+00');
INSERT INTO public.predictions VALUES (100, 'r99', '{"age": 49.0}', 0.9, 1, '1', 1.5, '2026-12-01 09:11:33+00');
INSERT INTO public.predictions VALUES (101, 'r100', '{"age": 50.0}', 0, 0, '1', 1.5, '2026-12-01 09:11:40+00');
INSERT INTO public.predictions VALUES (102, 'r101', '{"age": 51.0}', 0.1, 0, '1', 1.5, '2026-12-01 09:11:47+00');
INSERT INTO public.predictions VALUES (103, 'r102', '{"age": 52.0}', 0.2, 0, '1', 1.5, '2026-12-01 09:11:54+00');
INSERT INTO public.predictions VALUES (104, 'r103', '{"age": 53.0}', 0.3, 0, '1', 1.5, '2026-12-01 09:12:01+00');
INSERT INTO public.predictions VALUES (105, 'r104', '{"age": 54.0}', 0.4, 0, '1', 1.5, '2026-12-01 09:12:08+00');
INSERT INTO public.predictions VALUES (106, 'r105', '{"age": 55.0}', 0.5, 1, '1', 1.5, '2026-12-01 09:12:15+00');
INSERT INTO public.predictions VALUES (107, 'r106', '{"age": 56.0}', 0.6, 1, '1', 1.5, '2026-12-01 09:12:22+00');
INSERT INTO public.predictions VALUES (108, 'r107', '{"age": 57.0}', 0.7, 1, '1', 1.5, '2026-12-01 09:12:29+00');
INSERT INTO public.predictions VALUES (109, 'r108', '{"age": 58.0}', 0.8, 1, '1', 1.5, '2026-12-01 09:12:36+00');
INSERT INTO public.predictions VALUES (110, 'r109', '{"age": 59.0}', 0.9, 1, '1', 1.5, '2026-12-01 09:12:43+00');
INSERT INTO public.predictions VALUES (111, 'r110', '{"age": 60.0}', 0, 0, '1', 1.5, '2026-12-01 09:12:50+00');
INSERT INTO public.predictions VALUES (112, 'r111', '{"age": 61.0}', 0.1, 0, '1', 1.5, '2026-12-01 09:12:57+00');
INSERT INTO public.predictions VALUES (113, 'r112', '{"age": 62.0}', 0.2, 0, '1', 1.5, '2026-12-01 09:13:04+00');
INSERT INTO public.predictions VALUES (114, 'r113', '{"age": 63.0}', 0.3, 0, '1', 1.5, '2026-12-01 09:13:11+00');
INSERT INTO public.predictions VALUES (115, 'r114', '{"age": 64.0}', 0.4, 0, '1', 1.5, '2026-12-01 09:13:18+00');
INSERT INTO public.predictions VALUES (116, 'r115', '{"age": 65.0}', 0.5, 1, '1', 1.5, '2026-12-01 09:13:25+00');
INSERT INTO public.predictions VALUES (117, 'r116', '{"age": 66.0}', 0.6, 1, '1', 1.5, '2026-12-01 09:13:32+00');
INSERT INTO public.predictions VALUES (118, 'r117', '{"age": 67.0}', 0.7, 1, '1', 1.5, '2026-12-01 09:13:39+00');
INSERT INTO public.predictions VALUES (119, 'r118', '{"age": 68.0}', 0.8, 1, '1', 1.5, '2026-12-01 09:13:46+00');
INSERT INTO public.predictions VALUES (120, 'r119', '{"age": 69.0}', 0.9, 1, '1', 1.5, '2026-12-01 09:13:53+00');
INSERT INTO public.predictions VALUES (121, 'r120', '{"age": 40.0}', 0, 0, '1', 1.5, '2026-12-01 09:14:00+00');
INSERT INTO public.predictions VALUES (122, 'r121', '{"age": 41.0}', 0.1, 0, '1', 1.5, '2026-12-01 09:14:07+00');
INSERT INTO public.predictions VALUES (123, 'r122', '{"age": 42.0}', 0.2, 0, '1', 1.5, '2026-12-01 09:14:14+00');
INSERT INTO public.predictions VALUES (124, 'r123', '{"age": 43.0}', 0.3, 0, '1', 1.5, '2026-12-01 09:14:21+00');
INSERT INTO public.predictions VALUES (125, 'r124', '{"age": 44.0}', 0.4, 0, '1', 1.5, '2026-12-01 09:14:28+00');
INSERT INTO public.predictions VALUES (126, 'r125', '{"age": 45.0}', 0.5, 1, '1', 1.5, '2026-12-01 09:14:35+00');
INSERT INTO public.predictions VALUES (127, 'r126', '{"age": 46.0}', 0.6, 1, '1', 1.5, '2026-12-01 09:14:42+00');
INSERT INTO public.predictions VALUES (128, 'r127', '{"age": 47.0}', 0.7, 1, '1', 1.5, '2026-12-01 09:14:49+00');
INSERT INTO public.predictions VALUES (129, 'r128', '{"age": 48.0}', 0.8, 1, '1', 1.5, '2026-12-01 09:14:56+00');
INSERT INTO public.predictions VALUES (130, 'r129', '{"age": 49.0}', 0.9, 1, '1', 1.5, '2026-12-01 09:15:03+00');
INSERT INTO public.predictions VALUES (131, 'r130', '{"age": 50.0}', 0, 0, '1', 1.5, '2026-12-01 09:15:10+00');
INSERT INTO public.predictions VALUES (132, 'r131', '{"age": 51.0}', 0.1, 0, '1', 1.5, '2026-12-01 09:15:17+00');
INSERT INTO public.predictions VALUES (133, 'r132', '{"age": 52.0}', 0.2, 0, '1', 1.5, '2026-12-01 09:15:24+00');
INSERT INTO public.predictions VALUES (134, 'r133', '{"age": 53.0}', 0.3, 0, '1', 1.5, '2026-12-01 09:15:31+00');
INSERT INTO public.predictions VALUES (135, 'r134', '{"age": 54.0}', 0.4, 0, '1', 1.5, '2026-12-01 09:15:38+00');
INSERT INTO public.predictions VALUES (136, 'r135', '{"age": 55.0}', 0.5, 1, '1', 1.5, '2026-12-01 09:15:45+00');
INSERT INTO public.predictions VALUES (137, 'r136', '{"age": 56.0}', 0.6, 1, '1', 1.5, '2026-12-01 09:15:52+00');
INSERT INTO public.predictions VALUES (138, 'r137', '{"age": 57.0}', 0.7, 1, '1', 1.5, '2026-12-01 09:15:59+00');
INSERT INTO public.predictions VALUES (139, 'r138', '{"age": 58.0}', 0.8, 1, '1', 1.5, '2026-12-01 09:16:06+00');
INSERT INTO public.predictions VALUES (140, 'r139', '{"age": 59.0}', 0.9, 1, '1', 1.5, '2026-12-01 09:16:13+00');
INSERT INTO public.predictions VALUES (141, 'r140', '{"age": 60.0}', 0, 0, '1', 1.5, '2026-12-01 09:16:20+00');
INSERT INTO public.predictions VALUES (142, 'r141', '{"age": 61.0}', 0.1, 0, '1', 1.5, '2026-12-01 09:16:27+00');
INSERT INTO public.predictions VALUES (143, 'r142', '{"age": 62.0}', 0.2, 0, '1', 1.5, '2026-12-01 09:16:34+00');
INSERT INTO public.predictions VALUES (144, 'r143', '{"age": 63.0}', 0.3, 0, '1', 1.5, '2026-12-01 09:16:41+00');
INSERT INTO public.predictions VALUES (145, 'r144', '{"age": 64.0}', 0.4, 0, '1', 1.5, '2026-12-01 09:16:48+00');
INSERT INTO public.predictions VALUES (146, 'r145', '{"age": 65.0}', 0.5, 1, '1', 1.5, '2026-12-01 09:16:55+00');
INSERT INTO public.predictions VALUES (147, 'r146', '{"age": 66.0}', 0.6, 1, '1', 1.5, '2026-12-01 09:17:02+00');
INSERT INTO public.predictions VALUES (148, 'r147', '{"age": 67.0}', 0.7, 1, '1', 1.5, '2026-12-01 09:17:09+00');
INSERT INTO public.predictions VALUES (149, 'r148', '{"age": 68.0}', 0.8, 1, '1', 1.5, '2026-12-01 09:17:16+00');
INSERT INTO public.predictions VALUES (150, 'r149', '{"age": 69.0}', 0.9, 1, '1', 1.5, '2026-12-01 09:17:23+00');
INSERT INTO public.predictions VALUES (151, 'r150', '{"age": 40.0}', 0, 0, '2', 1.5, '2026-12-01 09:17:30+00');
INSERT INTO public.predictions VALUES (152, 'r151', '{"age": 41.0}', 0.1, 0, '2', 1.5, '2026-12-01 09:17:37+00');
INSERT INTO public.predictions VALUES (153, 'r152', '{"age": 42.0}', 0.2, 0, '2', 1.5, '2026-12-01 09:17:44+00');
INSERT INTO public.predictions VALUES (154, 'r153', '{"age": 43.0}', 0.3, 0, '2', 1.5, '2026-12-01 09:17:51+00');
INSERT INTO public.predictions VALUES (155, 'r154', '{"age": 44.0}', 0.4, 0, '2', 1.5, '2026-12-01 09:17:58+00');
INSERT INTO public.predictions VALUES (156, 'r155', '{"age": 45.0}', 0.5, 1, '2', 1.5, '2026-12-01 09:18:05+00');
INSERT INTO public.predictions VALUES (157, 'r156', '{"age": 46.0}', 0.6, 1, '2', 1.5, '2026-12-01 09:18:12+00');
INSERT INTO public.predictions VALUES (158, 'r157', '{"age": 47.0}', 0.7, 1, '2', 1.5, '2026-12-01 09:18:19+00');
INSERT INTO public.predictions VALUES (159, 'r158', '{"age": 48.0}', 0.8, 1, '2', 1.5, '2026-12-01 09:18:26+00');
INSERT INTO public.predictions VALUES (160, 'r159', '{"age": 49.0}', 0.9, 1, '2', 1.5, '2026-12-01 09:18:33+00');
INSERT INTO public.predictions VALUES (161, 'r160', '{"age": 50.0}', 0, 0, '2', 1.5, '2026-12-01 09:18:40+00');
INSERT INTO public.predictions VALUES (162, 'r161', '{"age": 51.0}', 0.1, 0, '2', 1.5, '2026-12-01 09:18:47+00');
INSERT INTO public.predictions VALUES (163, 'r162', '{"age": 52.0}', 0.2, 0, '2', 1.5, '2026-12-01 09:18:54+00');
INSERT INTO public.predictions VALUES (164, 'r163', '{"age": 53.0}', 0.3, 0, '2', 1.5, '2026-12-01 09:19:01+00');
INSERT INTO public.predictions VALUES (165, 'r164', '{"age": 54.0}', 0.4, 0, '2', 1.5, '2026-12-01 09:19:08+00');
INSERT INTO public.predictions VALUES (166, 'r165', '{"age": 55.0}', 0.5, 1, '2', 1.5, '2026-12-01 09:19:15+00');
INSERT INTO public.predictions VALUES (167, 'r166', '{"age": 56.0}', 0.6, 1, '2', 1.5, '2026-12-01 09:19:22+00');
INSERT INTO public.predictions VALUES (168, 'r167', '{"age": 57.0}', 0.7, 1, '2', 1.5, '2026-12-01 09:19:29+00');
INSERT INTO public.predictions VALUES (169, 'r168', '{"age": 58.0}', 0.8, 1, '2', 1.5, '2026-12-01 09:19:36+00');
INSERT INTO public.predictions VALUES (170, 'r169', '{"age": 59.0}', 0.9, 1, '2', 1.5, '2026-12-01 09:19:43+00');
INSERT INTO public.predictions VALUES (171, 'r170', '{"age": 60.0}', 0, 0, '2', 1.5, '2026-12-01 09:19:50+00');
INSERT INTO public.predictions VALUES (172, 'r171', '{"age": 61.0}', 0.1, 0, '2', 1.5, '2026-12-01 09:19:57+00');
INSERT INTO public.predictions VALUES (173, 'r172', '{"age": 62.0}', 0.2, 0, '2', 1.5, '2026-12-01 09:20:04+00');
INSERT INTO public.predictions VALUES (174, 'r173', '{"age": 63.0}', 0.3, 0, '2', 1.5, '2026-12-01 09:20:11+00');
INSERT INTO public.predictions VALUES (175, 'r174', '{"age": 64.0}', 0.4, 0, '2', 1.5, '2026-12-01 09:20:18+00');
INSERT INTO public.predictions VALUES (176, 'r175', '{"age": 65.0}', 0.5, 1, '2', 1.5, '2026-12-01 09:20:25+00');
INSERT INTO public.predictions VALUES (177, 'r176', '{"age": 66.0}', 0.6, 1, '2', 1.5, '2026-12-01 09:20:32+00');
INSERT INTO public.predictions VALUES (178, 'r177', '{"age": 67.0}', 0.7, 1, '2', 1.5, '2026-12-01 09:20:39+00');
INSERT INTO public.predictions VALUES (179, 'r178', '{"age": 68.0}', 0.8, 1, '2', 1.5, '2026-12-01 09:20:46+00');
INSERT INTO public.predictions VALUES (180, 'r179', '{"age": 69.0}', 0.9, 1, '2', 1.5, '2026-12-01 09:20:53+00');
INSERT INTO public.predictions VALUES (181, 'r180', '{"age": 40.0}', 0, 0, '2', 1.5, '2026-12-01 09:21:00+00');
INSERT INTO public.predictions VALUES (182, 'r181', '{"age": 41.0}', 0.1, 0, '2', 1.5, '2026-12-01 09:21:07+00');
INSERT INTO public.predictions VALUES (183, 'r182', '{"age": 42.0}', 0.2, 0, '2', 1.5, '2026-12-01 09:21:14+00');
INSERT INTO public.predictions VALUES (184, 'r183', '{"age": 43.0}', 0.3, 0, '2', 1.5, '2026-12-01 09:21:21+00');
INSERT INTO public.predictions VALUES (185, 'r184', '{"age": 44.0}', 0.4, 0, '2', 1.5, '2026-12-01 09:21:28+00');
INSERT INTO public.predictions VALUES (186, 'r185', '{"age": 45.0}', 0.5, 1, '2', 1.5, '2026-12-01 09:21:35+00');
INSERT INTO public.predictions VALUES (187, 'r186', '{"age": 46.0}', 0.6, 1, '2', 1.5, '2026-12-01 09:21:42+00');
INSERT INTO public.predictions VALUES (188, 'r187', '{"age": 47.0}', 0.7, 1, '2', 1.5, '2026-12-01 09:21:49+00');
INSERT INTO public.predictions VALUES (189, 'r188', '{"age": 48.0}', 0.8, 1, '2', 1.5, '2026-12-01 09:21:56+00');
INSERT INTO public.predictions VALUES (190, 'r189', '{"age": 49.0}', 0.9, 1, '2', 1.5, '2026-12-01 09:22:03+00');
INSERT INTO public.predictions VALUES (191, 'r190', '{"age": 50.0}', 0, 0, '2', 1.5, '2026-12-01 09:22:10+00');
INSERT INTO public.predictions VALUES (192, 'r191', '{"age": 51.0}', 0.1, 0, '2', 1.5, '2026-12-01 09:22:17+00');
INSERT INTO public.predictions VALUES (193, 'r192', '{"age": 52.0}', 0.2, 0, '2', 1.5, '2026-12-01 09:22:24+00');
INSERT INTO public.predictions VALUES (194, 'r193', '{"age": 53.0}', 0.3, 0, '2', 1.5, '2026-12-01 09:22:31+00');
INSERT INTO public.predictions VALUES (195, 'r194', '{"age": 54.0}', 0.4, 0, '2', 1.5, '2026-12-01 09:22:38+00');
INSERT INTO public.predictions VALUES (196, 'r195', '{"age": 55.0}', 0.5, 1, '2', 1.5, '2026-12-01 09:22:45+00');
INSERT INTO public.predictions VALUES (197, 'r196', '{"age": 56.0}', 0.6, 1, '2', 1.5, '2026-12-01 09:22:52+00');
INSERT INTO public.predictions VALUES (198, 'r197', '{"age": 57.0}', 0.7, 1, '2', 1.5, '2026-12-01 09:22:59+00');
INSERT INTO public.predictions VALUES (199, 'r198', '{"age": 58.0}', 0.8, 1, '2', 1.5, '2026-12-01 09:23:06+00');
INSERT INTO public.predictions VALUES (200, 'r199', '{"age": 59.0}', 0.9, 1, '2', 1.5, '2026-12-01 09:23:13+00');
INSERT INTO public.predictions VALUES (201, 'r200', '{"age": 60.0}', 0, 0, '2', 1.5, '2026-12-01 09:23:20+00');
INSERT INTO public.predictions VALUES (202, 'r201', '{"age": 61.0}', 0.1, 0, '2', 1.5, '2026-12-01 09:23:27+00');
INSERT INTO public.predictions VALUES (203, 'r202', '{"age": 62.0}', 0.2, 0, '2', 1.5, '2026-12-01 09:23:34+00');
INSERT INTO public.predictions VALUES (204, 'r203', '{"age": 63.0}', 0.3, 0, '2', 1.5, '2026-12-01 09:23:41+00');
INSERT INTO public.predictions VALUES (205, 'r204', '{"age": 64.0}', 0.4, 0, '2', 1.5, '2026-12-01 09:23:48+00');
INSERT INTO public.predictions VALUES (206, 'r205', '{"age": 65.0}', 0.5, 1, '2', 1.5, '2026-12-01 09:23:55+00');
INSERT INTO public.predictions VALUES (207, 'r206', '{"age": 66.0}', 0.6, 1, '2', 1.5, '2026-12-01 09:24:02+00');
INSERT INTO public.predictions VALUES (208, 'r207', '{"age": 67.0}', 0.7, 1, '2', 1.5, '2026-12-01 09:24:09+00');
INSERT INTO public.predictions VALUES (209, 'r208', '{"age": 68.0}', 0.8, 1, '2', 1.5, '2026-12-01 09:24:16+00');
INSERT INTO public.predictions VALUES (210, 'r209', '{"age": 69.0}', 0.9, 1, '2', 1.5, '2026-12-01 09:24:23+00');
INSERT INTO public.predictions VALUES (211, 'r210', '{"age": 40.0}', 0, 0, '2', 1.5, '2026-12-01 09:24:30+00');
INSERT INTO public.predictions VALUES (212, 'r211', '{"age": 41.0}', 0.1, 0, '2', 1.5, '2026-12-01 09:24:37+00');
INSERT INTO public.predictions VALUES (213, 'r212', '{"age": 42.0}', 0.2, 0, '2', 1.5, '2026-12-01 09:24:44+00');
INSERT INTO public.predictions VALUES (214, 'r213', '{"age": 43.0}', 0.3, 0, '2', 1.5, '2026-12-01 09:24:51+00');
INSERT INTO public.predictions VALUES (215, 'r214', '{"age": 44.0}', 0.4, 0, '2', 1.5, '2026-12-01 09:24:58+00');
INSERT INTO public.predictions VALUES (216, 'r215', '{"age": 45.0}', 0.5, 1, '2', 1.5, '2026-12-01 09:25:05+00');
INSERT INTO public.predictions VALUES (217, 'r216', '{"age": 46.0}', 0.6, 1, '2', 1.5, '2026-12-01 09:25:12+00');
INSERT INTO public.predictions VALUES (218, 'r217', '{"age": 47.0}', 0.7, 1, '2', 1.5, '2026-12-01 09:25:19+00');
INSERT INTO public.predictions VALUES (219, 'r218', '{"age": 48.0}', 0.8, 1, '2', 1.5, '2026-12-01 09:25:26+00');
INSERT INTO public.predictions VALUES (220, 'r219', '{"age": 49.0}', 0.9, 1, '2', 1.5, '2026-12-01 09:25:33+00');
INSERT INTO public.predictions VALUES (221, 'r220', '{"age": 50.0}', 0, 0, '2', 1.5, '2026-12-01 09:25:40+00');
INSERT INTO public.predictions VALUES (222, 'r221', '{"age": 51.0}', 0.1, 0, '2', 1.5, '2026-12-01 09:25:47+00');
INSERT INTO public.predictions VALUES (223, 'r222', '{"age": 52.0}', 0.2, 0, '2', 1.5, '2026-12-01 09:25:54+00');
INSERT INTO public.predictions VALUES (224, 'r223', '{"age": 53.0}', 0.3, 0, '2', 1.5, '2026-12-01 09:26:01+00');
INSERT INTO public.predictions VALUES (225, 'r224', '{"age": 54.0}', 0.4, 0, '2', 1.5, '2026-12-01 09:26:08+00');
INSERT INTO public.predictions VALUES (226, 'r225', '{"age": 55.0}', 0.5, 1, '2', 1.5, '2026-12-01 09:26:15+00');
INSERT INTO public.predictions VALUES (227, 'r226', '{"age": 56.0}', 0.6, 1, '2', 1.5, '2026-12-01 09:26:22+00');
INSERT INTO public.predictions VALUES (228, 'r227', '{"age": 57.0}', 0.7, 1, '2', 1.5, '2026-12-01 09:26:29+00');
INSERT INTO public.predictions VALUES (229, 'r228', '{"age": 58.0}', 0.8, 1, '2', 1.5, '2026-12-01 09:26:36+00');
INSERT INTO public.predictions VALUES (230, 'r229', '{"age": 59.0}', 0.9, 1, '2', 1.5, '2026-12-01 09:26:43+00');
INSERT INTO public.predictions VALUES (231, 'r230', '{"age": 60.0}', 0, 0, '2', 1.5, '2026-12-01 09:26:50+00');
INSERT INTO public.predictions VALUES (232, 'r231', '{"age": 61.0}', 0.1, 0, '2', 1.5, '2026-12-01 09:26:57+00');
INSERT INTO public.predictions VALUES (233, 'r232', '{"age": 62.0}', 0.2, 0, '2', 1.5, '2026-12-01 09:27:04+00');
INSERT INTO public.predictions VALUES (234, 'r233', '{"age": 63.0}', 0.3, 0, '2', 1.5, '2026-12-01 09:27:11+00');
INSERT INTO public.predictions VALUES (235, 'r234', '{"age": 64.0}', 0.4, 0, '2', 1.5, '2026-12-01 09:27:18+00');
INSERT INTO public.predictions VALUES (236, 'r235', '{"age": 65.0}', 0.5, 1, '2', 1.5, '2026-12-01 09:27:25+00');
INSERT INTO public.predictions VALUES (237, 'r236', '{"age": 66.0}', 0.6, 1, '2', 1.5, '2026-12-01 09:27:32+00');
INSERT INTO public.predictions VALUES (238, 'r237', '{"age": 67.0}', 0.7, 1, '2', 1.5, '2026-12-01 09:27:39+00');
INSERT INTO public.predictions VALUES (239, 'r238', '{"age": 68.0}', 0.8, 1, '2', 1.5, '2026-12-01 09:27:46+00');
INSERT INTO public.predictions VALUES (240, 'r239', '{"age": 69.0}', 0.9, 1, '2', 1.5, '2026-12-01 09:27:53+00');
INSERT INTO public.predictions VALUES (241, 'r240', '{"age": 40.0}', 0, 0, '2', 1.5, '2026-12-01 09:28:00+00');
INSERT INTO public.predictions VALUES (242, 'r241', '{"age": 41.0}', 0.1, 0, '2', 1.5, '2026-12-01 09:28:07+00');
INSERT INTO public.predictions VALUES (243, 'r242', '{"age": 42.0}', 0.2, 0, '2', 1.5, '2026-12-01 09:28:14+00');
INSERT INTO public.predictions VALUES (244, 'r243', '{"age": 43.0}', 0.3, 0, '2', 1.5, '2026-12-01 09:28:21+00');
INSERT INTO public.predictions VALUES (245, 'r244', '{"age": 44.0}', 0.4, 0, '2', 1.5, '2026-12-01 09:28:28+00');
INSERT INTO public.predictions VALUES (246, 'r245', '{"age": 45.0}', 0.5, 1, '2', 1.5, '2026-12-01 09:28:35+00');
INSERT INTO public.predictions VALUES (247, 'r246', '{"age": 46.0}', 0.6, 1, '2', 1.5, '2026-12-01 09:28:42+00');
INSERT INTO public.predictions VALUES (248, 'r247', '{"age": 47.0}', 0.7, 1, '2', 1.5, '2026-12-01 09:28:49+00');
INSERT INTO public.predictions VALUES (249, 'r248', '{"age": 48.0}', 0.8, 1, '2', 1.5, '2026-12-01 09:28:56+00');
INSERT INTO public.predictions VALUES (250, 'r249', '{"age": 49.0}', 0.9, 1, '2', 1.5, '2026-12-01 09:29:03+00');
INSERT INTO public.predictions VALUES (251, 'r250', '{"age": 50.0}', 0, 0, '2', 1.5, '2026-12-01 09:29:10+00');
INSERT INTO public.predictions VALUES (252, 'r251', '{"age": 51.0}', 0.1, 0, '2', 1.5, '2026-12-01 09:29:17+00');
INSERT INTO public.predictions VALUES (253, 'r252', '{"age": 52.0}', 0.2, 0, '2', 1.5, '2026-12-01 09:29:24+00');
INSERT INTO public.predictions VALUES (254, 'r253', '{"age": 53.0}', 0.3, 0, '2', 1.5, '2026-12-01 09:29:31+00');
INSERT INTO public.predictions VALUES (255, 'r254', '{"age": 54.0}', 0.4, 0, '2', 1.5, '2026-12-01 09:29:38+00');
INSERT INTO public.predictions VALUES (256, 'r255', '{"age": 55.0}', 0.5, 1, '2', 1.5, '2026-12-01 09:29:45+00');
INSERT INTO public.predictions VALUES (257, 'r256', '{"age": 56.0}', 0.6, 1, '2', 1.5, '2026-12-01 09:29:52+00');
INSERT INTO public.predictions VALUES (258, 'r257', '{"age": 57.0}', 0.7, 1, '2', 1.5, '2026-12-01 09:29:59+00');
INSERT INTO public.predictions VALUES (259, 'r258', '{"age": 58.0}', 0.8, 1, '2', 1.5, '2026-12-01 09:30:06+00');
INSERT INTO public.predictions VALUES (260, 'r259', '{"age": 59.0}', 0.9, 1, '2', 1.5, '2026-12-01 09:30:13+00');
INSERT INTO public.predictions VALUES (261, 'r260', '{"age": 60.0}', 0, 0, '2', 1.5, '2026-12-01 09:30:20+00');
INSERT INTO public.predictions VALUES (262, 'r261', '{"age": 61.0}', 0.1, 0, '2', 1.5, '2026-12-01 09:30:27+00');
INSERT INTO public.predictions VALUES (263, 'r262', '{"age": 62.0}', 0.2, 0, '2', 1.5, '2026-12-01 09:30:34+00');
INSERT INTO public.predictions VALUES (264, 'r263', '{"age": 63.0}', 0.3, 0, '2', 1.5, '2026-12-01 09:30:41+00');
INSERT INTO public.predictions VALUES (265, 'r264', '{"age": 64.0}', 0.4, 0, '2', 1.5, '2026-12-01 09:30:48+00');
INSERT INTO public.predictions VALUES (266, 'r265', '{"age": 65.0}', 0.5, 1, '2', 1.5, '2026-12-01 09:30:55+00');
INSERT INTO public.predictions VALUES (267, 'r266', '{"age": 66.0}', 0.6, 1, '2', 1.5, '2026-12-01 09:31:02+00');
INSERT INTO public.predictions VALUES (268, 'r267', '{"age": 67.0}', 0.7, 1, '2', 1.5, '2026-12-01 09:31:09+00');
INSERT INTO public.predictions VALUES (269, 'r268', '{"age": 68.0}', 0.8, 1, '2', 1.5, '2026-12-01 09:31:16+00');
INSERT INTO public.predictions VALUES (270, 'r269', '{"age": 69.0}', 0.9, 1, '2', 1.5, '2026-12-01 09:31:23+00');
INSERT INTO public.predictions VALUES (271, 'r270', '{"age": 40.0}', 0, 0, '2', 1.5, '2026-12-01 09:31:30+00');
INSERT INTO public.predictions VALUES (272, 'r271', '{"age": 41.0}', 0.1, 0, '2', 1.5, '2026-12-01 09:31:37+00');
INSERT INTO public.predictions VALUES (273, 'r272', '{"age": 42.0}', 0.2, 0, '2', 1.5, '2026-12-01 09:31:44+00');
INSERT INTO public.predictions VALUES (274, 'r273', '{"age": 43.0}', 0.3, 0, '2', 1.5, '2026-12-01 09:31:51+00');
INSERT INTO public.predictions VALUES (275, 'r274', '{"age": 44.0}', 0.4, 0, '2', 1.5, '2026-12-01 09:31:58+00');
INSERT INTO public.predictions VALUES (276, 'r275', '{"age": 45.0}', 0.5, 1, '2', 1.5, '2026-12-01 09:32:05+00');
INSERT INTO public.predictions VALUES (277, 'r276', '{"age": 46.0}', 0.6, 1, '2', 1.5, '2026-12-01 09:32:12+00');
INSERT INTO public.predictions VALUES (278, 'r277', '{"age": 47.0}', 0.7, 1, '2', 1.5, '2026-12-01 09:32:19+00');
INSERT INTO public.predictions VALUES (279, 'r278', '{"age": 48.0}', 0.8, 1, '2', 1.5, '2026-12-01 09:32:26+00');
INSERT INTO public.predictions VALUES (280, 'r279', '{"age": 49.0}', 0.9, 1, '2', 1.5, '2026-12-01 09:32:33+00');
INSERT INTO public.predictions VALUES (281, 'r280', '{"age": 50.0}', 0, 0, '2', 1.5, '2026-12-01 09:32:40+00');
INSERT INTO public.predictions VALUES (282, 'r281', '{"age": 51.0}', 0.1, 0, '2', 1.5, '2026-12-01 09:32:47+00');
INSERT INTO public.predictions VALUES (283, 'r282', '{"age": 52.0}', 0.2, 0, '2', 1.5, '2026-12-01 09:32:54+00');
INSERT INTO public.predictions VALUES (284, 'r283', '{"age": 53.0}', 0.3, 0, '2', 1.5, '2026-12-01 09:33:01+00');
INSERT INTO public.predictions VALUES (285, 'r284', '{"age": 54.0}', 0.4, 0, '2', 1.5, '2026-12-01 09:33:08+00');
INSERT INTO public.predictions VALUES (286, 'r285', '{"age": 55.0}', 0.5, 1, '2', 1.5, '2026-12-01 09:33:15+00');
INSERT INTO public.predictions VALUES (287, 'r286', '{"age": 56.0}', 0.6, 1, '2', 1.5, '2026-12-01 09:33:22+00');
INSERT INTO public.predictions VALUES (288, 'r287', '{"age": 57.0}', 0.7, 1, '2', 1.5, '2026-12-01 09:33:29+00');
INSERT INTO public.predictions VALUES (289, 'r288', '{"age": 58.0}', 0.8, 1, '2', 1.5, '2026-12-01 09:33:36+00');
INSERT INTO public.predictions VALUES (290, 'r289', '{"age": 59.0}', 0.9, 1, '2', 1.5, '2026-12-01 09:33:43+00');
INSERT INTO public.predictions VALUES (291, 'r290', '{"age": 60.0}', 0, 0, '2', 1.5, '2026-12-01 09:33:50+00');
INSERT INTO public.predictions VALUES (292, 'r291', '{"age": 61.0}', 0.1, 0, '2', 1.5, '2026-12-01 09:33:57+00');
INSERT INTO public.predictions VALUES (293, 'r292', '{"age": 62.0}', 0.2, 0, '2', 1.5, '2026-12-01 09:34:04+00');
INSERT INTO public.predictions VALUES (294, 'r293', '{"age": 63.0}', 0.3, 0, '2', 1.5, '2026-12-01 09:34:11+00');
INSERT INTO public.predictions VALUES (295, 'r294', '{"age": 64.0}', 0.4, 0, '2', 1.5, '2026-12-01 09:34:18+00');
INSERT INTO public.predictions VALUES (296, 'r295', '{"age": 65.0}', 0.5, 1, '2', 1.5, '2026-12-01 09:34:25+00');
INSERT INTO public.predictions VALUES (297, 'r296', '{"age": 66.0}', 0.6, 1, '2', 1.5, '2026-12-01 09:34:32+00');
INSERT INTO public.predictions VALUES (298, 'r297', '{"age": 67.0}', 0.7, 1, '2', 1.5, '2026-12-01 09:34:39+00');
INSERT INTO public.predictions VALUES (299, 'r298', '{"age": 68.0}', 0.8, 1, '2', 1.5, '2026-12-01 09:34:46+00');
INSERT INTO public.predictions VALUES (300, 'r299', '{"age": 69.0}', 0.9, 1, '2', 1.5, '2026-12-01 09:34:53+00');


--
-- Data for Name: pruned_threads; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: registry_events; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: registry_locks; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: seen_signatures; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: serving_generations; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: silenced_alerts; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: silences; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: version_training_sets; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Name: action_runs_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.action_runs_id_seq', 1, false);


--
-- Name: alerts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.alerts_id_seq', 3, true);


--
-- Name: api_keys_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.api_keys_id_seq', 3, true);


--
-- Name: approvals_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.approvals_id_seq', 2, true);


--
-- Name: audit_head_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.audit_head_id_seq', 1, false);


--
-- Name: audit_log_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.audit_log_id_seq', 10, true);


--
-- Name: incidents_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.incidents_id_seq', 3, true);


--
-- Name: monitor_history_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.monitor_history_id_seq', 24, true);


--
-- Name: notification_outbox_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.notification_outbox_id_seq', 1, false);


--
-- Name: notifications_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.notifications_id_seq', 1, false);


--
-- Name: predictions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.predictions_id_seq', 300, true);


--
-- Name: registry_events_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.registry_events_id_seq', 1, false);


--
-- Name: silenced_alerts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.silenced_alerts_id_seq', 1, false);


--
-- Name: silences_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.silences_id_seq', 1, false);


--
-- Name: action_runs action_runs_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_runs
    ADD CONSTRAINT action_runs_key_key UNIQUE (key);


--
-- Name: action_runs action_runs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_runs
    ADD CONSTRAINT action_runs_pkey PRIMARY KEY (id);


--
-- Name: agent_work agent_work_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agent_work
    ADD CONSTRAINT agent_work_pkey PRIMARY KEY (incident_id);


--
-- Name: alerts alerts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alerts
    ADD CONSTRAINT alerts_pkey PRIMARY KEY (id);


--
-- Name: api_keys api_keys_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_hash_key UNIQUE (hash);


--
-- Name: api_keys api_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.api_keys
    ADD CONSTRAINT api_keys_pkey PRIMARY KEY (id);


--
-- Name: approvals approvals_incident_id_digest_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.approvals
    ADD CONSTRAINT approvals_incident_id_digest_key UNIQUE (incident_id, digest);


--
-- Name: approvals approvals_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.approvals
    ADD CONSTRAINT approvals_pkey PRIMARY KEY (id);


--
-- Name: audit_head audit_head_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_head
    ADD CONSTRAINT audit_head_pkey PRIMARY KEY (id);


--
-- Name: audit_log audit_log_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_hash_key UNIQUE (hash);


--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);


--
-- Name: console_logins console_logins_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.console_logins
    ADD CONSTRAINT console_logins_pkey PRIMARY KEY (id);


--
-- Name: feedback feedback_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.feedback
    ADD CONSTRAINT feedback_pkey PRIMARY KEY (request_id);


--
-- Name: incident_flaps incident_flaps_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incident_flaps
    ADD CONSTRAINT incident_flaps_pkey PRIMARY KEY (incident_id);


--
-- Name: incidents incidents_open_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incidents
    ADD CONSTRAINT incidents_open_key_key UNIQUE (open_key);


--
-- Name: incidents incidents_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incidents
    ADD CONSTRAINT incidents_pkey PRIMARY KEY (id);


--
-- Name: label_counts label_counts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.label_counts
    ADD CONSTRAINT label_counts_pkey PRIMARY KEY (slot, model_version);


--
-- Name: model_artifacts model_artifacts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.model_artifacts
    ADD CONSTRAINT model_artifacts_pkey PRIMARY KEY (model, version);


--
-- Name: monitor_history monitor_history_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.monitor_history
    ADD CONSTRAINT monitor_history_pkey PRIMARY KEY (id);


--
-- Name: monitor_results monitor_results_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.monitor_results
    ADD CONSTRAINT monitor_results_pkey PRIMARY KEY (name);


--
-- Name: monitor_schedule monitor_schedule_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.monitor_schedule
    ADD CONSTRAINT monitor_schedule_pkey PRIMARY KEY (name);


--
-- Name: monitor_states monitor_states_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.monitor_states
    ADD CONSTRAINT monitor_states_pkey PRIMARY KEY (name);


--
-- Name: notification_outbox notification_outbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_outbox
    ADD CONSTRAINT notification_outbox_pkey PRIMARY KEY (id);


--
-- Name: notifications notifications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_pkey PRIMARY KEY (id);


--
-- Name: prediction_counts prediction_counts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.prediction_counts
    ADD CONSTRAINT prediction_counts_pkey PRIMARY KEY (slot, model_version);


--
-- Name: predictions predictions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.predictions
    ADD CONSTRAINT predictions_pkey PRIMARY KEY (id);


--
-- Name: predictions predictions_request_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.predictions
    ADD CONSTRAINT predictions_request_id_key UNIQUE (request_id);


--
-- Name: pruned_threads pruned_threads_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pruned_threads
    ADD CONSTRAINT pruned_threads_pkey PRIMARY KEY (incident_id);


--
-- Name: registry_events registry_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registry_events
    ADD CONSTRAINT registry_events_pkey PRIMARY KEY (id);


--
-- Name: registry_locks registry_locks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.registry_locks
    ADD CONSTRAINT registry_locks_pkey PRIMARY KEY (model);


--
-- Name: seen_signatures seen_signatures_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.seen_signatures
    ADD CONSTRAINT seen_signatures_pkey PRIMARY KEY (signature);


--
-- Name: serving_generations serving_generations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.serving_generations
    ADD CONSTRAINT serving_generations_pkey PRIMARY KEY (model);


--
-- Name: silenced_alerts silenced_alerts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.silenced_alerts
    ADD CONSTRAINT silenced_alerts_pkey PRIMARY KEY (id);


--
-- Name: silences silences_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.silences
    ADD CONSTRAINT silences_pkey PRIMARY KEY (id);


--
-- Name: version_training_sets version_training_sets_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.version_training_sets
    ADD CONSTRAINT version_training_sets_pkey PRIMARY KEY (model, version);


--
-- Name: ix_action_runs_incident_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_action_runs_incident_id ON public.action_runs USING btree (incident_id);


--
-- Name: ix_action_runs_tool; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_action_runs_tool ON public.action_runs USING btree (tool);


--
-- Name: ix_agent_work_lease_until; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_agent_work_lease_until ON public.agent_work USING btree (lease_until);


--
-- Name: ix_alerts_incident_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_alerts_incident_id ON public.alerts USING btree (incident_id);


--
-- Name: ix_api_keys_name; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_api_keys_name ON public.api_keys USING btree (name);


--
-- Name: ix_api_keys_prefix; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_api_keys_prefix ON public.api_keys USING btree (prefix);


--
-- Name: ix_approvals_incident_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_approvals_incident_id ON public.approvals USING btree (incident_id);


--
-- Name: ix_approvals_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_approvals_status ON public.approvals USING btree (status);


--
-- Name: ix_audit_log_incident_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_audit_log_incident_id ON public.audit_log USING btree (incident_id);


--
-- Name: ix_console_logins_expires_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_console_logins_expires_at ON public.console_logins USING btree (expires_at);


--
-- Name: ix_incidents_fingerprint; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_incidents_fingerprint ON public.incidents USING btree (fingerprint);


--
-- Name: ix_incidents_handled; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_incidents_handled ON public.incidents USING btree (handled);


--
-- Name: ix_incidents_state; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_incidents_state ON public.incidents USING btree (state);


--
-- Name: ix_monitor_history_checked_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_monitor_history_checked_at ON public.monitor_history USING btree (checked_at);


--
-- Name: ix_monitor_history_name_checked_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_monitor_history_name_checked_at ON public.monitor_history USING btree (name, checked_at);


--
-- Name: ix_notification_outbox_next_attempt_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_notification_outbox_next_attempt_at ON public.notification_outbox USING btree (next_attempt_at);


--
-- Name: ix_notification_outbox_notification_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_notification_outbox_notification_id ON public.notification_outbox USING btree (notification_id);


--
-- Name: ix_notification_outbox_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_notification_outbox_status ON public.notification_outbox USING btree (status);


--
-- Name: ix_notifications_incident_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_notifications_incident_id ON public.notifications USING btree (incident_id);


--
-- Name: ix_predictions_created_at_label; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_predictions_created_at_label ON public.predictions USING btree (created_at, label);


--
-- Name: ix_predictions_model_version; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_predictions_model_version ON public.predictions USING btree (model_version);


--
-- Name: ix_registry_events_model; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_registry_events_model ON public.registry_events USING btree (model);


--
-- Name: ix_seen_signatures_seen_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_seen_signatures_seen_at ON public.seen_signatures USING btree (seen_at);


--
-- Name: ix_silenced_alerts_silence_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_silenced_alerts_silence_id ON public.silenced_alerts USING btree (silence_id);


--
-- Name: ix_silences_ends_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_silences_ends_at ON public.silences USING btree (ends_at);


--
-- Name: audit_log audit_log_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER audit_log_append_only BEFORE DELETE OR UPDATE ON public.audit_log FOR EACH ROW EXECUTE FUNCTION public.medic_audit_append_only();


--
-- Name: action_runs action_runs_incident_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.action_runs
    ADD CONSTRAINT action_runs_incident_id_fkey FOREIGN KEY (incident_id) REFERENCES public.incidents(id);


--
-- Name: agent_work agent_work_incident_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.agent_work
    ADD CONSTRAINT agent_work_incident_id_fkey FOREIGN KEY (incident_id) REFERENCES public.incidents(id);


--
-- Name: alerts alerts_incident_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alerts
    ADD CONSTRAINT alerts_incident_id_fkey FOREIGN KEY (incident_id) REFERENCES public.incidents(id);


--
-- Name: approvals approvals_incident_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.approvals
    ADD CONSTRAINT approvals_incident_id_fkey FOREIGN KEY (incident_id) REFERENCES public.incidents(id);


--
-- Name: incident_flaps incident_flaps_incident_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incident_flaps
    ADD CONSTRAINT incident_flaps_incident_id_fkey FOREIGN KEY (incident_id) REFERENCES public.incidents(id);


--
-- Name: notification_outbox notification_outbox_notification_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.notification_outbox
    ADD CONSTRAINT notification_outbox_notification_id_fkey FOREIGN KEY (notification_id) REFERENCES public.notifications(id);


--
-- Name: pruned_threads pruned_threads_incident_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.pruned_threads
    ADD CONSTRAINT pruned_threads_incident_id_fkey FOREIGN KEY (incident_id) REFERENCES public.incidents(id);


--
-- Name: silenced_alerts silenced_alerts_silence_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.silenced_alerts
    ADD CONSTRAINT silenced_alerts_silence_id_fkey FOREIGN KEY (silence_id) REFERENCES public.silences(id);


--
-- PostgreSQL database dump complete
--

\unrestrict TU3JWsA0bylIwbIsHmIQZJZAXn7NVpGfF7y7qqRLnO7Qk1B5cYYxLCgkxsoGObS

