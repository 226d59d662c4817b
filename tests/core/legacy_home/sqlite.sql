BEGIN TRANSACTION;
CREATE TABLE action_runs (
	id INTEGER NOT NULL, 
	"key" VARCHAR(64) NOT NULL, 
	incident_id INTEGER NOT NULL, 
	model VARCHAR(200) NOT NULL, 
	tool VARCHAR(64) NOT NULL, 
	args JSON NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	result JSON NOT NULL, 
	effective BOOLEAN, 
	started_at DATETIME NOT NULL, 
	finished_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE ("key"), 
	FOREIGN KEY(incident_id) REFERENCES incidents (id)
);
CREATE TABLE agent_work (
	incident_id INTEGER NOT NULL, 
	wakes INTEGER NOT NULL, 
	done INTEGER NOT NULL, 
	owner VARCHAR(128), 
	lease_until DATETIME, 
	attempts INTEGER NOT NULL, 
	last_error TEXT NOT NULL, 
	PRIMARY KEY (incident_id), 
	FOREIGN KEY(incident_id) REFERENCES incidents (id)
);
INSERT INTO "agent_work" VALUES(1,2,0,NULL,NULL,0,'');
INSERT INTO "agent_work" VALUES(2,1,0,NULL,NULL,0,'');
INSERT INTO "agent_work" VALUES(3,1,0,NULL,NULL,0,'');
CREATE TABLE alerts (
	id INTEGER NOT NULL, 
	incident_id INTEGER NOT NULL, 
	fingerprint VARCHAR(128) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	payload JSON NOT NULL, 
	received_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(incident_id) REFERENCES incidents (id)
);
INSERT INTO "alerts" VALUES(1,1,'ed14c92a3a8a29e5aa23650e313b2461','firing','{"source": "medic", "type": "drift", "name": "DataDrift", "status": "firing", "labels": {"severity": "warning"}, "annotations": {"summary": "DataDrift on heart-disease"}, "values": {}, "evidence": null, "fingerprint": "ed14c92a3a8a29e5aa23650e313b2461", "starts_at": null, "ends_at": null}','2026-12-01 09:00:00.000000');
INSERT INTO "alerts" VALUES(2,2,'ea9508e21bacdb87a88bbe0d4ad7f7e9','firing','{"source": "medic", "type": "performance", "name": "F1Drop", "status": "firing", "labels": {"severity": "warning"}, "annotations": {"summary": "F1Drop on heart-disease"}, "values": {}, "evidence": null, "fingerprint": "ea9508e21bacdb87a88bbe0d4ad7f7e9", "starts_at": null, "ends_at": null}','2026-12-01 09:00:00.000000');
INSERT INTO "alerts" VALUES(3,3,'2e4a192cbddc3e38685d1e44cd0a32ef','firing','{"source": "medic", "type": "system_error", "name": "LatencyHigh", "status": "firing", "labels": {"severity": "warning"}, "annotations": {"summary": "LatencyHigh on heart-disease"}, "values": {}, "evidence": null, "fingerprint": "2e4a192cbddc3e38685d1e44cd0a32ef", "starts_at": null, "ends_at": null}','2026-12-01 09:00:00.000000');
CREATE TABLE api_keys (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	role VARCHAR(32) NOT NULL, 
	prefix VARCHAR(16) NOT NULL, 
	hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	revoked BOOLEAN NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (hash)
);
INSERT INTO "api_keys" VALUES(1,'ana','approver','mdk_cGojds97','ed211413945a4292ac94b05d00956341fdb40f9a1bb7a5d2aa14fdbf68df294d','2026-12-04 20:29:09.198649',0);
INSERT INTO "api_keys" VALUES(2,'ops','operator','mdk_b4zPBXCX','5dcae9e71299ec02f21241f2925e3dd2c8a565e11041646488255c6e192249b1','2026-12-04 20:29:09.218852',0);
INSERT INTO "api_keys" VALUES(3,'bot','viewer','mdk_g5mlf_Tq','67ec2133d3a8e235af71352b9ca0155110272aa0dace4ba6021a7560ab8fd243','2026-12-04 20:29:09.219386',1);
CREATE TABLE approvals (
	id INTEGER NOT NULL, 
	incident_id INTEGER NOT NULL, 
	digest VARCHAR(64) NOT NULL, 
	actions JSON NOT NULL, 
	context JSON NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	requested_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	decided_by VARCHAR(200), 
	decided_role VARCHAR(32), 
	decided_at DATETIME, 
	comment TEXT NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (incident_id, digest), 
	FOREIGN KEY(incident_id) REFERENCES incidents (id)
);
INSERT INTO "approvals" VALUES(1,1,'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa','[{"tool": "rollback", "args": {}}]','{}','approved','2026-12-04 20:29:09.087778','2027-12-01 09:00:00.000000','ana','approver','2026-12-01 09:00:00.000000','fixture');
INSERT INTO "approvals" VALUES(2,2,'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb','[{"tool": "retrain", "args": {}}]','{}','pending','2026-12-04 20:29:09.140806','2027-12-01 09:00:00.000000',NULL,NULL,NULL,'');
CREATE TABLE audit_head (
	id INTEGER NOT NULL, 
	last_hash VARCHAR(64) NOT NULL, 
	entries INTEGER NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "audit_head" VALUES(1,'71238d00c0e7f6c692bd05df25023b22cdaf56ec18b5f1d6886f0f6fed34e9ff',10);
CREATE TABLE audit_log (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	incident_id INTEGER, 
	actor VARCHAR(200) NOT NULL, 
	event VARCHAR(64) NOT NULL, 
	data JSON NOT NULL, 
	prev_hash VARCHAR(64) NOT NULL, 
	hash VARCHAR(64) NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (hash)
);
INSERT INTO "audit_log" VALUES(1,'2026-12-01 09:00:00.000000',1,'fixture','alert_received','{"alert": "DataDrift", "type": "drift", "fingerprint": "ed14c92a3a8a29e5aa23650e313b2461", "source": "medic"}','0000000000000000000000000000000000000000000000000000000000000000','5b66f20f90410bfcc7bc8516275bd1e2ba118fc3be18febf909d2689d49aff93');
INSERT INTO "audit_log" VALUES(2,'2026-12-01 09:00:00.000000',2,'fixture','alert_received','{"alert": "F1Drop", "type": "performance", "fingerprint": "ea9508e21bacdb87a88bbe0d4ad7f7e9", "source": "medic"}','5b66f20f90410bfcc7bc8516275bd1e2ba118fc3be18febf909d2689d49aff93','772bf844b83118ca24194df7e3192e7492a3f46d21f4b79a1213a2fcfd72f65a');
INSERT INTO "audit_log" VALUES(3,'2026-12-01 09:00:00.000000',3,'fixture','alert_received','{"alert": "LatencyHigh", "type": "system_error", "fingerprint": "2e4a192cbddc3e38685d1e44cd0a32ef", "source": "medic"}','772bf844b83118ca24194df7e3192e7492a3f46d21f4b79a1213a2fcfd72f65a','aaa519b9831da96a0dda4d8c0f69cf591f3ca71c2fd04dbdd6c0c367de75a2a0');
INSERT INTO "audit_log" VALUES(4,'2026-12-04 20:29:09.121650',1,'medic agent','approval_requested','{"approval_id": 1, "digest": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "actions": [{"tool": "rollback", "args": {}}], "expires_at": "2027-12-01T09:00:00+00:00"}','aaa519b9831da96a0dda4d8c0f69cf591f3ca71c2fd04dbdd6c0c367de75a2a0','6b6f2f79fe95880041a66e31537fa57d7e9204509b77d988af1e64a0d8ad3925');
INSERT INTO "audit_log" VALUES(5,'2026-12-04 20:29:09.144448',2,'medic agent','approval_requested','{"approval_id": 2, "digest": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "actions": [{"tool": "retrain", "args": {}}], "expires_at": "2027-12-01T09:00:00+00:00"}','6b6f2f79fe95880041a66e31537fa57d7e9204509b77d988af1e64a0d8ad3925','b1c1ed84bf01e64f5e6e8038e995faa20ec8cffd98c7b605dc6e40f93a055d73');
INSERT INTO "audit_log" VALUES(6,'2026-12-04 20:29:09.164501',1,'ana','approval_approved','{"approval_id": 1, "role": "approver", "comment": "fixture", "digest": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}','b1c1ed84bf01e64f5e6e8038e995faa20ec8cffd98c7b605dc6e40f93a055d73','bf4775a75ca23f7bf7ceb12f31bef34e06a44736b7c50cf43b5929f5852dff0f');
INSERT INTO "audit_log" VALUES(7,'2026-12-04 20:29:09.217709',NULL,'fixture','key_created','{"name": "ana", "role": "approver", "prefix": "mdk_cGojds97"}','bf4775a75ca23f7bf7ceb12f31bef34e06a44736b7c50cf43b5929f5852dff0f','f01ab6030c9ca0c468aa0f2801e079b11802a52e5837bdfce3b70c77b67d41ac');
INSERT INTO "audit_log" VALUES(8,'2026-12-04 20:29:09.218627',NULL,'fixture','key_created','{"name": "ops", "role": "operator", "prefix": "mdk_b4zPBXCX"}','f01ab6030c9ca0c468aa0f2801e079b11802a52e5837bdfce3b70c77b67d41ac','c96e253dd6a159d70fbb48148b0304e33deef6271fd8dad1124581cb5d2b6eab');
INSERT INTO "audit_log" VALUES(9,'2026-12-04 20:29:09.219231',NULL,'fixture','key_created','{"name": "bot", "role": "viewer", "prefix": "mdk_g5mlf_Tq"}','c96e253dd6a159d70fbb48148b0304e33deef6271fd8dad1124581cb5d2b6eab','0721be29c3d5da535e43c13278d08873b4e586a37af5d206cd844542350cef55');
INSERT INTO "audit_log" VALUES(10,'2026-12-04 20:29:09.232038',NULL,'fixture','key_revoked','{"name": "bot", "prefix": "mdk_g5mlf_Tq"}','0721be29c3d5da535e43c13278d08873b4e586a37af5d206cd844542350cef55','71238d00c0e7f6c692bd05df25023b22cdaf56ec18b5f1d6886f0f6fed34e9ff');
CREATE TABLE console_logins (
	id VARCHAR(64) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	role VARCHAR(32) NOT NULL, 
	started_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	ended_at DATETIME, 
	PRIMARY KEY (id)
);
CREATE TABLE feedback (
	request_id VARCHAR(64) NOT NULL, 
	label INTEGER NOT NULL, 
	received_at DATETIME NOT NULL, 
	PRIMARY KEY (request_id)
);
INSERT INTO "feedback" VALUES('r0',1,'2026-12-04 20:29:09.274916');
INSERT INTO "feedback" VALUES('r3',0,'2026-12-04 20:29:09.294376');
INSERT INTO "feedback" VALUES('r6',0,'2026-12-04 20:29:09.306076');
INSERT INTO "feedback" VALUES('r9',0,'2026-12-04 20:29:09.322093');
INSERT INTO "feedback" VALUES('r12',1,'2026-12-04 20:29:09.333968');
INSERT INTO "feedback" VALUES('r15',0,'2026-12-04 20:29:09.348242');
INSERT INTO "feedback" VALUES('r18',0,'2026-12-04 20:29:09.650161');
INSERT INTO "feedback" VALUES('r21',0,'2026-12-04 20:29:09.666396');
INSERT INTO "feedback" VALUES('r24',1,'2026-12-04 20:29:09.679568');
INSERT INTO "feedback" VALUES('r27',0,'2026-12-04 20:29:09.692636');
INSERT INTO "feedback" VALUES('r30',0,'2026-12-04 20:29:09.782126');
INSERT INTO "feedback" VALUES('r33',0,'2026-12-04 20:29:09.798079');
INSERT INTO "feedback" VALUES('r36',1,'2026-12-04 20:29:09.812332');
INSERT INTO "feedback" VALUES('r39',0,'2026-12-04 20:29:09.829308');
INSERT INTO "feedback" VALUES('r42',0,'2026-12-04 20:29:09.842138');
INSERT INTO "feedback" VALUES('r45',0,'2026-12-04 20:29:09.854072');
INSERT INTO "feedback" VALUES('r48',1,'2026-12-04 20:29:09.870030');
INSERT INTO "feedback" VALUES('r51',0,'2026-12-04 20:29:09.880627');
INSERT INTO "feedback" VALUES('r54',0,'2026-12-04 20:29:09.894000');
INSERT INTO "feedback" VALUES('r57',0,'2026-12-04 20:29:09.910073');
INSERT INTO "feedback" VALUES('r60',1,'2026-12-04 20:29:09.974324');
INSERT INTO "feedback" VALUES('r63',0,'2026-12-04 20:29:09.991641');
INSERT INTO "feedback" VALUES('r66',0,'2026-12-04 20:29:10.006087');
INSERT INTO "feedback" VALUES('r69',0,'2026-12-04 20:29:10.018004');
INSERT INTO "feedback" VALUES('r72',1,'2026-12-04 20:29:10.033884');
INSERT INTO "feedback" VALUES('r75',0,'2026-12-04 20:29:10.041353');
INSERT INTO "feedback" VALUES('r78',0,'2026-12-04 20:29:10.048033');
INSERT INTO "feedback" VALUES('r81',0,'2026-12-04 20:29:10.214674');
INSERT INTO "feedback" VALUES('r84',1,'2026-12-04 20:29:10.230017');
INSERT INTO "feedback" VALUES('r87',0,'2026-12-04 20:29:10.243816');
INSERT INTO "feedback" VALUES('r90',0,'2026-12-04 20:29:10.259041');
INSERT INTO "feedback" VALUES('r93',0,'2026-12-04 20:29:10.280176');
INSERT INTO "feedback" VALUES('r96',1,'2026-12-04 20:29:10.294119');
INSERT INTO "feedback" VALUES('r99',0,'2026-12-04 20:29:10.342187');
INSERT INTO "feedback" VALUES('r102',0,'2026-12-04 20:29:10.354011');
INSERT INTO "feedback" VALUES('r105',0,'2026-12-04 20:29:10.362378');
INSERT INTO "feedback" VALUES('r108',1,'2026-12-04 20:29:10.378466');
INSERT INTO "feedback" VALUES('r111',0,'2026-12-04 20:29:10.394007');
INSERT INTO "feedback" VALUES('r114',0,'2026-12-04 20:29:10.442029');
INSERT INTO "feedback" VALUES('r117',0,'2026-12-04 20:29:10.449863');
INSERT INTO "feedback" VALUES('r120',1,'2026-12-04 20:29:10.462020');
INSERT INTO "feedback" VALUES('r123',0,'2026-12-04 20:29:10.477979');
INSERT INTO "feedback" VALUES('r126',0,'2026-12-04 20:29:10.485834');
INSERT INTO "feedback" VALUES('r129',0,'2026-12-04 20:29:10.502054');
INSERT INTO "feedback" VALUES('r132',1,'2026-12-04 20:29:10.509974');
INSERT INTO "feedback" VALUES('r135',0,'2026-12-04 20:29:10.513727');
INSERT INTO "feedback" VALUES('r138',0,'2026-12-04 20:29:10.534136');
INSERT INTO "feedback" VALUES('r141',0,'2026-12-04 20:29:10.542063');
INSERT INTO "feedback" VALUES('r144',1,'2026-12-04 20:29:10.558135');
INSERT INTO "feedback" VALUES('r147',0,'2026-12-04 20:29:10.564387');
INSERT INTO "feedback" VALUES('r150',0,'2026-12-04 20:29:10.574004');
INSERT INTO "feedback" VALUES('r153',0,'2026-12-04 20:29:10.580765');
INSERT INTO "feedback" VALUES('r156',1,'2026-12-04 20:29:10.590045');
INSERT INTO "feedback" VALUES('r159',0,'2026-12-04 20:29:10.598055');
INSERT INTO "feedback" VALUES('r162',0,'2026-12-04 20:29:10.614064');
INSERT INTO "feedback" VALUES('r165',0,'2026-12-04 20:29:10.630083');
INSERT INTO "feedback" VALUES('r168',1,'2026-12-04 20:29:10.641917');
INSERT INTO "feedback" VALUES('r171',0,'2026-12-04 20:29:10.647137');
INSERT INTO "feedback" VALUES('r174',0,'2026-12-04 20:29:10.670122');
INSERT INTO "feedback" VALUES('r177',0,'2026-12-04 20:29:10.686114');
INSERT INTO "feedback" VALUES('r180',1,'2026-12-04 20:29:10.698049');
INSERT INTO "feedback" VALUES('r183',0,'2026-12-04 20:29:10.714300');
INSERT INTO "feedback" VALUES('r186',0,'2026-12-04 20:29:10.726122');
INSERT INTO "feedback" VALUES('r189',0,'2026-12-04 20:29:10.736806');
INSERT INTO "feedback" VALUES('r192',1,'2026-12-04 20:29:10.751443');
INSERT INTO "feedback" VALUES('r195',0,'2026-12-04 20:29:10.764764');
INSERT INTO "feedback" VALUES('r198',0,'2026-12-04 20:29:10.790047');
INSERT INTO "feedback" VALUES('r201',0,'2026-12-04 20:29:10.796986');
INSERT INTO "feedback" VALUES('r204',1,'2026-12-04 20:29:10.801840');
INSERT INTO "feedback" VALUES('r207',0,'2026-12-04 20:29:10.804770');
INSERT INTO "feedback" VALUES('r210',0,'2026-12-04 20:29:10.813996');
INSERT INTO "feedback" VALUES('r213',0,'2026-12-04 20:29:10.817745');
INSERT INTO "feedback" VALUES('r216',1,'2026-12-04 20:29:10.821724');
INSERT INTO "feedback" VALUES('r219',0,'2026-12-04 20:29:10.825735');
INSERT INTO "feedback" VALUES('r222',0,'2026-12-04 20:29:10.829675');
INSERT INTO "feedback" VALUES('r225',0,'2026-12-04 20:29:10.838089');
INSERT INTO "feedback" VALUES('r228',1,'2026-12-04 20:29:10.841892');
INSERT INTO "feedback" VALUES('r231',0,'2026-12-04 20:29:10.844996');
INSERT INTO "feedback" VALUES('r234',0,'2026-12-04 20:29:10.854007');
INSERT INTO "feedback" VALUES('r237',0,'2026-12-04 20:29:10.856465');
INSERT INTO "feedback" VALUES('r240',1,'2026-12-04 20:29:10.861142');
INSERT INTO "feedback" VALUES('r243',0,'2026-12-04 20:29:10.869587');
INSERT INTO "feedback" VALUES('r246',0,'2026-12-04 20:29:10.878772');
INSERT INTO "feedback" VALUES('r249',0,'2026-12-04 20:29:10.881349');
INSERT INTO "feedback" VALUES('r252',1,'2026-12-04 20:29:10.886305');
INSERT INTO "feedback" VALUES('r255',0,'2026-12-04 20:29:10.894198');
INSERT INTO "feedback" VALUES('r258',0,'2026-12-04 20:29:10.904442');
INSERT INTO "feedback" VALUES('r261',0,'2026-12-04 20:29:10.962107');
INSERT INTO "feedback" VALUES('r264',1,'2026-12-04 20:29:10.986206');
INSERT INTO "feedback" VALUES('r267',0,'2026-12-04 20:29:11.007035');
INSERT INTO "feedback" VALUES('r270',0,'2026-12-04 20:29:11.036366');
INSERT INTO "feedback" VALUES('r273',0,'2026-12-04 20:29:11.055969');
INSERT INTO "feedback" VALUES('r276',1,'2026-12-04 20:29:11.110311');
INSERT INTO "feedback" VALUES('r279',0,'2026-12-04 20:29:11.127361');
INSERT INTO "feedback" VALUES('r282',0,'2026-12-04 20:29:11.146298');
INSERT INTO "feedback" VALUES('r285',0,'2026-12-04 20:29:11.155035');
INSERT INTO "feedback" VALUES('r288',1,'2026-12-04 20:29:11.170062');
INSERT INTO "feedback" VALUES('r291',0,'2026-12-04 20:29:11.183846');
INSERT INTO "feedback" VALUES('r294',0,'2026-12-04 20:29:11.204440');
INSERT INTO "feedback" VALUES('r297',0,'2026-12-04 20:29:11.218114');
CREATE TABLE incident_flaps (
	incident_id INTEGER NOT NULL, 
	flaps INTEGER NOT NULL, 
	last_flap_at DATETIME NOT NULL, 
	PRIMARY KEY (incident_id), 
	FOREIGN KEY(incident_id) REFERENCES incidents (id)
);
CREATE TABLE incidents (
	id INTEGER NOT NULL, 
	fingerprint VARCHAR(128) NOT NULL, 
	open_key VARCHAR(128), 
	title VARCHAR(500) NOT NULL, 
	alert_type VARCHAR(32) NOT NULL, 
	state VARCHAR(32) NOT NULL, 
	alert JSON NOT NULL, 
	alert_count INTEGER NOT NULL, 
	first_seen DATETIME NOT NULL, 
	last_seen DATETIME NOT NULL, 
	severity_score FLOAT, 
	severity_level VARCHAR(16), 
	decided_by VARCHAR(16), 
	decision_note TEXT NOT NULL, 
	diagnosis JSON NOT NULL, 
	"plan" JSON NOT NULL, 
	verdict VARCHAR(32), 
	outcome TEXT NOT NULL, 
	handled BOOLEAN NOT NULL, 
	resolved_at DATETIME, 
	PRIMARY KEY (id), 
	UNIQUE (open_key)
);
INSERT INTO "incidents" VALUES(1,'ed14c92a3a8a29e5aa23650e313b2461','ed14c92a3a8a29e5aa23650e313b2461','DataDrift: DataDrift on heart-disease','drift','awaiting_approval','{"source": "medic", "type": "drift", "name": "DataDrift", "status": "firing", "labels": {"severity": "warning"}, "annotations": {"summary": "DataDrift on heart-disease"}, "values": {}, "evidence": null, "fingerprint": "ed14c92a3a8a29e5aa23650e313b2461", "starts_at": null, "ends_at": null}',1,'2026-12-01 09:00:00.000000','2026-12-01 09:00:00.000000',NULL,NULL,NULL,'','[]','[]',NULL,'',0,NULL);
INSERT INTO "incidents" VALUES(2,'ea9508e21bacdb87a88bbe0d4ad7f7e9','ea9508e21bacdb87a88bbe0d4ad7f7e9','F1Drop: F1Drop on heart-disease','performance','awaiting_approval','{"source": "medic", "type": "performance", "name": "F1Drop", "status": "firing", "labels": {"severity": "warning"}, "annotations": {"summary": "F1Drop on heart-disease"}, "values": {}, "evidence": null, "fingerprint": "ea9508e21bacdb87a88bbe0d4ad7f7e9", "starts_at": null, "ends_at": null}',1,'2026-12-01 09:00:00.000000','2026-12-01 09:00:00.000000',NULL,NULL,NULL,'','[]','[]',NULL,'',0,NULL);
INSERT INTO "incidents" VALUES(3,'2e4a192cbddc3e38685d1e44cd0a32ef','2e4a192cbddc3e38685d1e44cd0a32ef','LatencyHigh: LatencyHigh on heart-disease','system_error','open','{"source": "medic", "type": "system_error", "name": "LatencyHigh", "status": "firing", "labels": {"severity": "warning"}, "annotations": {"summary": "LatencyHigh on heart-disease"}, "values": {}, "evidence": null, "fingerprint": "2e4a192cbddc3e38685d1e44cd0a32ef", "starts_at": null, "ends_at": null}',1,'2026-12-01 09:00:00.000000','2026-12-01 09:00:00.000000',NULL,NULL,NULL,'','[]','[]',NULL,'',0,NULL);
CREATE TABLE label_counts (
	slot BIGINT NOT NULL, 
	model_version VARCHAR(32) NOT NULL, 
	tp BIGINT NOT NULL, 
	fp BIGINT NOT NULL, 
	fn BIGINT NOT NULL, 
	tn BIGINT NOT NULL, 
	PRIMARY KEY (slot, model_version)
);
INSERT INTO "label_counts" VALUES(1796115600,'1',0,0,1,1);
INSERT INTO "label_counts" VALUES(1796115630,'1',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796115660,'1',0,1,1,0);
INSERT INTO "label_counts" VALUES(1796115690,'1',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796115720,'1',0,1,0,1);
INSERT INTO "label_counts" VALUES(1796115750,'1',0,0,1,0);
INSERT INTO "label_counts" VALUES(1796115780,'1',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796115810,'1',0,0,0,2);
INSERT INTO "label_counts" VALUES(1796115840,'1',1,0,0,0);
INSERT INTO "label_counts" VALUES(1796115870,'1',0,1,0,1);
INSERT INTO "label_counts" VALUES(1796115900,'1',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796115930,'1',1,0,0,1);
INSERT INTO "label_counts" VALUES(1796115960,'1',0,0,0,1);
INSERT INTO "label_counts" VALUES(1796115990,'1',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796116020,'1',0,0,1,1);
INSERT INTO "label_counts" VALUES(1796116050,'1',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796116080,'1',0,1,1,0);
INSERT INTO "label_counts" VALUES(1796116110,'1',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796116140,'1',0,1,0,1);
INSERT INTO "label_counts" VALUES(1796116170,'1',0,0,1,0);
INSERT INTO "label_counts" VALUES(1796116200,'1',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796116230,'1',0,0,0,2);
INSERT INTO "label_counts" VALUES(1796116260,'1',1,0,0,0);
INSERT INTO "label_counts" VALUES(1796116290,'1',0,1,0,1);
INSERT INTO "label_counts" VALUES(1796116320,'1',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796116350,'1',1,0,0,1);
INSERT INTO "label_counts" VALUES(1796116380,'1',0,0,0,1);
INSERT INTO "label_counts" VALUES(1796116410,'1',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796116440,'1',0,0,1,1);
INSERT INTO "label_counts" VALUES(1796116470,'1',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796116500,'1',0,1,1,0);
INSERT INTO "label_counts" VALUES(1796116530,'1',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796116560,'1',0,1,0,1);
INSERT INTO "label_counts" VALUES(1796116590,'1',0,0,1,0);
INSERT INTO "label_counts" VALUES(1796116620,'1',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796116650,'2',0,0,0,2);
INSERT INTO "label_counts" VALUES(1796116680,'2',1,0,0,0);
INSERT INTO "label_counts" VALUES(1796116710,'2',0,1,0,1);
INSERT INTO "label_counts" VALUES(1796116740,'2',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796116770,'2',1,0,0,1);
INSERT INTO "label_counts" VALUES(1796116800,'2',0,0,0,1);
INSERT INTO "label_counts" VALUES(1796116830,'2',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796116860,'2',0,0,1,1);
INSERT INTO "label_counts" VALUES(1796116890,'2',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796116920,'2',0,1,1,0);
INSERT INTO "label_counts" VALUES(1796116950,'2',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796116980,'2',0,1,0,1);
INSERT INTO "label_counts" VALUES(1796117010,'2',0,0,1,0);
INSERT INTO "label_counts" VALUES(1796117040,'2',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796117070,'2',0,0,0,2);
INSERT INTO "label_counts" VALUES(1796117100,'2',1,0,0,0);
INSERT INTO "label_counts" VALUES(1796117130,'2',0,1,0,1);
INSERT INTO "label_counts" VALUES(1796117160,'2',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796117190,'2',1,0,0,1);
INSERT INTO "label_counts" VALUES(1796117220,'2',0,0,0,1);
INSERT INTO "label_counts" VALUES(1796117250,'2',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796117280,'2',0,0,1,1);
INSERT INTO "label_counts" VALUES(1796117310,'2',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796117340,'2',0,1,1,0);
INSERT INTO "label_counts" VALUES(1796117370,'2',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796117400,'2',0,1,0,1);
INSERT INTO "label_counts" VALUES(1796117430,'2',0,0,1,0);
INSERT INTO "label_counts" VALUES(1796117460,'2',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796117490,'2',0,0,0,2);
INSERT INTO "label_counts" VALUES(1796117520,'2',1,0,0,0);
INSERT INTO "label_counts" VALUES(1796117550,'2',0,1,0,1);
INSERT INTO "label_counts" VALUES(1796117580,'2',0,1,0,0);
INSERT INTO "label_counts" VALUES(1796117610,'2',1,0,0,1);
INSERT INTO "label_counts" VALUES(1796117640,'2',0,0,0,1);
INSERT INTO "label_counts" VALUES(1796117670,'2',0,1,0,0);
CREATE TABLE model_artifacts (
	model VARCHAR(200) NOT NULL, 
	version VARCHAR(32) NOT NULL, 
	uri TEXT NOT NULL, 
	scorer JSON, 
	PRIMARY KEY (model, version)
);
CREATE TABLE monitor_history (
	id INTEGER NOT NULL, 
	name VARCHAR(64) NOT NULL, 
	checked_at DATETIME NOT NULL, 
	state VARCHAR(32) NOT NULL, 
	value FLOAT, 
	points JSON NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "monitor_history" VALUES(1,'data_drift','2026-12-01 09:00:00.000000','ok',0.0,'{"age": 0.0}');
INSERT INTO "monitor_history" VALUES(2,'f1','2026-12-01 09:00:00.000000','ok',0.8,'{"f1": 0.8}');
INSERT INTO "monitor_history" VALUES(3,'data_drift','2026-12-01 10:00:00.000000','ok',0.05,'{"age": 0.05}');
INSERT INTO "monitor_history" VALUES(4,'f1','2026-12-01 10:00:00.000000','ok',0.8,'{"f1": 0.8}');
INSERT INTO "monitor_history" VALUES(5,'data_drift','2026-12-01 11:00:00.000000','ok',0.1,'{"age": 0.1}');
INSERT INTO "monitor_history" VALUES(6,'f1','2026-12-01 11:00:00.000000','ok',0.8,'{"f1": 0.8}');
INSERT INTO "monitor_history" VALUES(7,'data_drift','2026-12-01 12:00:00.000000','ok',0.15,'{"age": 0.15}');
INSERT INTO "monitor_history" VALUES(8,'f1','2026-12-01 12:00:00.000000','ok',0.8,'{"f1": 0.8}');
INSERT INTO "monitor_history" VALUES(9,'data_drift','2026-12-01 13:00:00.000000','ok',0.2,'{"age": 0.2}');
INSERT INTO "monitor_history" VALUES(10,'f1','2026-12-01 13:00:00.000000','ok',0.8,'{"f1": 0.8}');
INSERT INTO "monitor_history" VALUES(11,'data_drift','2026-12-01 14:00:00.000000','ok',0.25,'{"age": 0.25}');
INSERT INTO "monitor_history" VALUES(12,'f1','2026-12-01 14:00:00.000000','ok',0.8,'{"f1": 0.8}');
INSERT INTO "monitor_history" VALUES(13,'data_drift','2026-12-01 15:00:00.000000','ok',0.3,'{"age": 0.3}');
INSERT INTO "monitor_history" VALUES(14,'f1','2026-12-01 15:00:00.000000','ok',0.8,'{"f1": 0.8}');
INSERT INTO "monitor_history" VALUES(15,'data_drift','2026-12-01 16:00:00.000000','ok',0.35,'{"age": 0.35}');
INSERT INTO "monitor_history" VALUES(16,'f1','2026-12-01 16:00:00.000000','ok',0.8,'{"f1": 0.8}');
INSERT INTO "monitor_history" VALUES(17,'data_drift','2026-12-01 17:00:00.000000','firing',0.4,'{"age": 0.4}');
INSERT INTO "monitor_history" VALUES(18,'f1','2026-12-01 17:00:00.000000','ok',0.8,'{"f1": 0.8}');
INSERT INTO "monitor_history" VALUES(19,'data_drift','2026-12-01 18:00:00.000000','firing',0.45,'{"age": 0.45}');
INSERT INTO "monitor_history" VALUES(20,'f1','2026-12-01 18:00:00.000000','ok',0.8,'{"f1": 0.8}');
INSERT INTO "monitor_history" VALUES(21,'data_drift','2026-12-01 19:00:00.000000','firing',0.5,'{"age": 0.5}');
INSERT INTO "monitor_history" VALUES(22,'f1','2026-12-01 19:00:00.000000','ok',0.8,'{"f1": 0.8}');
INSERT INTO "monitor_history" VALUES(23,'data_drift','2026-12-01 20:00:00.000000','firing',0.55,'{"age": 0.55}');
INSERT INTO "monitor_history" VALUES(24,'f1','2026-12-01 20:00:00.000000','ok',0.8,'{"f1": 0.8}');
CREATE TABLE monitor_results (
	name VARCHAR(64) NOT NULL, 
	result JSON NOT NULL, 
	checked_at DATETIME NOT NULL, 
	PRIMARY KEY (name)
);
CREATE TABLE monitor_schedule (
	name VARCHAR(32) NOT NULL, 
	next_run_at DATETIME NOT NULL, 
	PRIMARY KEY (name)
);
CREATE TABLE monitor_states (
	name VARCHAR(64) NOT NULL, 
	firing BOOLEAN NOT NULL, 
	breaches INTEGER NOT NULL, 
	clears INTEGER NOT NULL, 
	level VARCHAR(32) NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (name)
);
INSERT INTO "monitor_states" VALUES('data_drift',1,4,0,'warning','2026-12-04 20:29:11.437179');
CREATE TABLE notification_outbox (
	id INTEGER NOT NULL, 
	notification_id INTEGER NOT NULL, 
	channel VARCHAR(32) NOT NULL, 
	message JSON NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	attempts INTEGER NOT NULL, 
	next_attempt_at DATETIME NOT NULL, 
	last_error TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	sent_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(notification_id) REFERENCES notifications (id)
);
CREATE TABLE notifications (
	id INTEGER NOT NULL, 
	incident_id INTEGER, 
	subject VARCHAR(500) NOT NULL, 
	body TEXT NOT NULL, 
	channels JSON NOT NULL, 
	sent_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE prediction_counts (
	slot BIGINT NOT NULL, 
	model_version VARCHAR(32) NOT NULL, 
	predictions BIGINT NOT NULL, 
	positives BIGINT NOT NULL, 
	PRIMARY KEY (slot, model_version)
);
INSERT INTO "prediction_counts" VALUES(1796115600,'1',5,0);
INSERT INTO "prediction_counts" VALUES(1796115630,'1',4,4);
INSERT INTO "prediction_counts" VALUES(1796115660,'1',4,1);
INSERT INTO "prediction_counts" VALUES(1796115690,'1',5,3);
INSERT INTO "prediction_counts" VALUES(1796115720,'1',4,2);
INSERT INTO "prediction_counts" VALUES(1796115750,'1',4,1);
INSERT INTO "prediction_counts" VALUES(1796115780,'1',4,4);
INSERT INTO "prediction_counts" VALUES(1796115810,'1',5,0);
INSERT INTO "prediction_counts" VALUES(1796115840,'1',4,4);
INSERT INTO "prediction_counts" VALUES(1796115870,'1',4,1);
INSERT INTO "prediction_counts" VALUES(1796115900,'1',5,3);
INSERT INTO "prediction_counts" VALUES(1796115930,'1',4,2);
INSERT INTO "prediction_counts" VALUES(1796115960,'1',4,1);
INSERT INTO "prediction_counts" VALUES(1796115990,'1',4,4);
INSERT INTO "prediction_counts" VALUES(1796116020,'1',5,0);
INSERT INTO "prediction_counts" VALUES(1796116050,'1',4,4);
INSERT INTO "prediction_counts" VALUES(1796116080,'1',4,1);
INSERT INTO "prediction_counts" VALUES(1796116110,'1',5,3);
INSERT INTO "prediction_counts" VALUES(1796116140,'1',4,2);
INSERT INTO "prediction_counts" VALUES(1796116170,'1',4,1);
INSERT INTO "prediction_counts" VALUES(1796116200,'1',4,4);
INSERT INTO "prediction_counts" VALUES(1796116230,'1',5,0);
INSERT INTO "prediction_counts" VALUES(1796116260,'1',4,4);
INSERT INTO "prediction_counts" VALUES(1796116290,'1',4,1);
INSERT INTO "prediction_counts" VALUES(1796116320,'1',5,3);
INSERT INTO "prediction_counts" VALUES(1796116350,'1',4,2);
INSERT INTO "prediction_counts" VALUES(1796116380,'1',4,1);
INSERT INTO "prediction_counts" VALUES(1796116410,'1',4,4);
INSERT INTO "prediction_counts" VALUES(1796116440,'1',5,0);
INSERT INTO "prediction_counts" VALUES(1796116470,'1',4,4);
INSERT INTO "prediction_counts" VALUES(1796116500,'1',4,1);
INSERT INTO "prediction_counts" VALUES(1796116530,'1',5,3);
INSERT INTO "prediction_counts" VALUES(1796116560,'1',4,2);
INSERT INTO "prediction_counts" VALUES(1796116590,'1',4,1);
INSERT INTO "prediction_counts" VALUES(1796116620,'1',4,4);
INSERT INTO "prediction_counts" VALUES(1796116650,'2',5,0);
INSERT INTO "prediction_counts" VALUES(1796116680,'2',4,4);
INSERT INTO "prediction_counts" VALUES(1796116710,'2',4,1);
INSERT INTO "prediction_counts" VALUES(1796116740,'2',5,3);
INSERT INTO "prediction_counts" VALUES(1796116770,'2',4,2);
INSERT INTO "prediction_counts" VALUES(1796116800,'2',4,1);
INSERT INTO "prediction_counts" VALUES(1796116830,'2',4,4);
INSERT INTO "prediction_counts" VALUES(1796116860,'2',5,0);
INSERT INTO "prediction_counts" VALUES(1796116890,'2',4,4);
INSERT INTO "prediction_counts" VALUES(1796116920,'2',4,1);
INSERT INTO "prediction_counts" VALUES(1796116950,'2',5,3);
INSERT INTO "prediction_counts" VALUES(1796116980,'2',4,2);
INSERT INTO "prediction_counts" VALUES(1796117010,'2',4,1);
INSERT INTO "prediction_counts" VALUES(1796117040,'2',4,4);
INSERT INTO "prediction_counts" VALUES(1796117070,'2',5,0);
INSERT INTO "prediction_counts" VALUES(1796117100,'2',4,4);
INSERT INTO "prediction_counts" VALUES(1796117130,'2',4,1);
INSERT INTO "prediction_counts" VALUES(1796117160,'2',5,3);
INSERT INTO "prediction_counts" VALUES(1796117190,'2',4,2);
INSERT INTO "prediction_counts" VALUES(1796117220,'2',4,1);
INSERT INTO "prediction_counts" VALUES(1796117250,'2',4,4);
INSERT INTO "prediction_counts" VALUES(1796117280,'2',5,0);
INSERT INTO "prediction_counts" VALUES(1796117310,'2',4,4);
INSERT INTO "prediction_counts" VALUES(1796117340,'2',4,1);
INSERT INTO "prediction_counts" VALUES(1796117370,'2',5,3);
INSERT INTO "prediction_counts" VALUES(1796117400,'2',4,2);
INSERT INTO "prediction_counts" VALUES(1796117430,'2',4,1);
INSERT INTO "prediction_counts" VALUES(1796117460,'2',4,4);
INSERT INTO "prediction_counts" VALUES(1796117490,'2',5,0);
INSERT INTO "prediction_counts" VALUES(1796117520,'2',4,4);
INSERT INTO "prediction_counts" VALUES(1796117550,'2',4,1);
INSERT INTO "prediction_counts" VALUES(1796117580,'2',5,3);
INSERT INTO "prediction_counts" VALUES(1796117610,'2',4,2);
INSERT INTO "prediction_counts" VALUES(1796117640,'2',4,1);
INSERT INTO "prediction_counts" VALUES(1796117670,'2',4,4);
CREATE TABLE predictions (
	id INTEGER NOT NULL, 
	request_id VARCHAR(64) NOT NULL, 
	features JSON NOT NULL, 
	probability FLOAT NOT NULL, 
	label INTEGER NOT NULL, 
	model_version VARCHAR(32) NOT NULL, 
	latency_ms FLOAT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (request_id)
);
INSERT INTO "predictions" VALUES(1,'r0','{"age": 40.0}',0.0,0,'1',1.5,'2026-12-01 09:00:00.000000');
INSERT INTO "predictions" VALUES(2,'r1','{"age": 41.0}',0.1,0,'1',1.5,'2026-12-01 09:00:07.000000');
INSERT INTO "predictions" VALUES(3,'r2','{"age": 42.0}',0.2,0,'1',1.5,'2026-12-01 09:00:14.000000');
INSERT INTO "predictions" VALUES(4,'r3','{"age": 43.0}',0.3,0,'1',1.5,'2026-12-01 09:00:21.000000');
INSERT INTO "predictions" VALUES(5,'r4','{"age": 44.0}',0.4,0,'1',1.5,'2026-12-01 09:00:28.000000');
INSERT INTO "predictions" VALUES(6,'r5','{"age": 45.0}',0.5,1,'1',1.5,'2026-12-01 09:00:35.000000');
INSERT INTO "predictions" VALUES(7,'r6','{"age": 46.0}',0.6,1,'1',1.5,'2026-12-01 09:00:42.000000');
INSERT INTO "predictions" VALUES(8,'r7','{"age": 47.0}',0.7,1,'1',1.5,'2026-12-01 09:00:49.000000');
INSERT INTO "predictions" VALUES(9,'r8','{"age": 48.0}',0.8,1,'1',1.5,'2026-12-01 09:00:56.000000');
INSERT INTO "predictions" VALUES(10,'r9','{"age": 49.0}',0.9,1,'1',1.5,'2026-12-01 09:01:03.000000');
INSERT INTO "predictions" VALUES(11,'r10','{"age": 50.0}',0.0,0,'1',1.5,'2026-12-01 09:01:10.000000');
INSERT INTO "predictions" VALUES(12,'r11','{"age": 51.0}',0.1,0,'1',1.5,'2026-12-01 09:01:17.000000');
INSERT INTO "predictions" VALUES(13,'r12','{"age": 52.0}',0.2,0,'1',1.5,'2026-12-01 09:01:24.000000');
INSERT INTO "predictions" VALUES(14,'r13','{"age": 53.0}',0.3,0,'1',1.5,'2026-12-01 09:01:31.000000');
INSERT INTO "predictions" VALUES(15,'r14','{"age": 54.0}',0.4,0,'1',1.5,'2026-12-01 09:01:38.000000');
INSERT INTO "predictions" VALUES(16,'r15','{"age": 55.0}',0.5,1,'1',1.5,'2026-12-01 09:01:45.000000');
INSERT INTO "predictions" VALUES(17,'r16','{"age": 56.0}',0.6,1,'1',1.5,'2026-12-01 09:01:52.000000');
INSERT INTO "predictions" VALUES(18,'r17','{"age": 57.0}',0.7,1,'1',1.5,'2026-12-01 09:01:59.000000');
INSERT INTO "predictions" VALUES(19,'r18','{"age": 58.0}',0.8,1,'1',1.5,'2026-12-01 09:02:06.000000');
INSERT INTO "predictions" VALUES(20,'r19','{"age": 59.0}',0.9,1,'1',1.5,'2026-12-01 09:02:13.000000');
INSERT INTO "predictions" VALUES(21,'r20','{"age": 60.0}',0.0,0,'1',1.5,'2026-12-01 09:02:20.000000');
INSERT INTO "predictions" VALUES(22,'r21','{"age": 61.0}',0.1,0,'1',1.5,'2026-12-01 09:02:27.000000');
INSERT INTO "predictions" VALUES(23,'r22','{"age": 62.0}',0.2,0,'1',1.5,'2026-12-01 09:02:34.000000');
INSERT INTO "predictions" VALUES(24,'r23','{"age": 63.0}',0.3,0,'1',1.5,'2026-12-01 09:02:41.000000');
INSERT INTO "predictions" VALUES(25,'r24','{"age": 64.0}',0.4,0,'1',1.5,'2026-12-01 09:02:48.000000');
INSERT INTO "predictions" VALUES(26,'r25','{"age": 65.0}',0.5,1,'1',1.5,'2026-12-01 09:02:55.000000');
INSERT INTO "predictions" VALUES(27,'r26','{"age": 66.0}',0.6,1,'1',1.5,'2026-12-01 09:03:02.000000');
INSERT INTO "predictions" VALUES(28,'r27','{"age": 67.0}',0.7,1,'1',1.5,'2026-12-01 09:03:09.000000');
INSERT INTO "predictions" VALUES(29,'r28','{"age": 68.0}',0.8,1,'1',1.5,'2026-12-01 09:03:16.000000');
INSERT INTO "predictions" VALUES(30,'r29','{"age": 69.0}',0.9,1,'1',1.5,'2026-12-01 09:03:23.000000');
INSERT INTO "predictions" VALUES(31,'r30','{"age": 40.0}',0.0,0,'1',1.5,'2026-12-01 09:03:30.000000');
INSERT INTO "predictions" VALUES(32,'r31','{"age": 41.0}',0.1,0,'1',1.5,'2026-12-01 09:03:37.000000');
INSERT INTO "predictions" VALUES(33,'r32','{"age": 42.0}',0.2,0,'1',1.5,'2026-12-01 09:03:44.000000');
INSERT INTO "predictions" VALUES(34,'r33','{"age": 43.0}',0.3,0,'1',1.5,'2026-12-01 09:03:51.000000');
INSERT INTO "predictions" VALUES(35,'r34','{"age": 44.0}',0.4,0,'1',1.5,'2026-12-01 09:03:58.000000');
INSERT INTO "predictions" VALUES(36,'r35','{"age": 45.0}',0.5,1,'1',1.5,'2026-12-01 09:04:05.000000');
INSERT INTO "predictions" VALUES(37,'r36','{"age": 46.0}',0.6,1,'1',1.5,'2026-12-01 09:04:12.000000');
INSERT INTO "predictions" VALUES(38,'r37','{"age": 47.0}',0.7,1,'1',1.5,'2026-12-01 09:04:19.000000');
INSERT INTO "predictions" VALUES(39,'r38','{"age": 48.0}',0.8,1,'1',1.5,'2026-12-01 09:04:26.000000');
INSERT INTO "predictions" VALUES(40,'r39','{"age": 49.0}',0.9,1,'1',1.5,'2026-12-01 09:04:33.000000');
INSERT INTO "predictions" VALUES(41,'r40','{"age": 50.0}',0.0,0,'1',1.5,'2026-12-01 09:04:40.000000');
INSERT INTO "predictions" VALUES(42,'r41','{"age": 51.0}',0.1,0,'1',1.5,'2026-12-01 09:04:47.000000');
INSERT INTO "predictions" VALUES(43,'r42','{"age": 52.0}',0.2,0,'1',1.5,'2026-12-01 09:04:54.000000');
INSERT INTO "predictions" VALUES(44,'r43','{"age": 53.0}',0.3,0,'1',1.5,'2026-12-01 09:05:01.000000');
INSERT INTO "predictions" VALUES(45,'r44','{"age": 54.0}',0.4,0,'1',1.5,'2026-12-01 09:05:08.000000');
INSERT INTO "predictions" VALUES(46,'r45','{"age": 55.0}',0.5,1,'1',1.5,'2026-12-01 09:05:15.000000');
INSERT INTO "predictions" VALUES(47,'r46','{"age": 56.0}',0.6,1,'1',1.5,'2026-12-01 09:05:22.000000');
INSERT INTO "predictions" VALUES(48,'r47','{"age": 57.0}',0.7,1,'1',1.5,'2026-12-01 09:05:29.000000');
INSERT INTO "predictions" VALUES(49,'r48','{"age": 58.0}',0.8,1,'1',1.5,'2026-12-01 09:05:36.000000');
INSERT INTO "predictions" VALUES(50,'r49','{"age": 59.0}',0.9,1,'1',1.5,'2026-12-01 09:05:43.000000');
INSERT INTO "predictions" VALUES(51,'r50','{"age": 60.0}',0.0,0,'1',1.5,'2026-12-01 09:05:50.000000');
INSERT INTO "predictions" VALUES(52,'r51','{"age": 61.0}',0.1,0,'1',1.5,'2026-12-01 09:05:57.000000');
INSERT INTO "predictions" VALUES(53,'r52','{"age": 62.0}',0.2,0,'1',1.5,'2026-12-01 09:06:04.000000');
INSERT INTO "predictions" VALUES(54,'r53','{"age": 63.0}',0.3,0,'1',1.5,'2026-12-01 09:06:11.000000');
INSERT INTO "predictions" VALUES(55,'r54','{"age": 64.0}',0.4,0,'1',1.5,'2026-12-01 09:06:18.000000');
INSERT INTO "predictions" VALUES(56,'r55','{"age": 65.0}',0.5,1,'1',1.5,'2026-12-01 09:06:25.000000');
INSERT INTO "predictions" VALUES(57,'r56','{"age": 66.0}',0.6,1,'1',1.5,'2026-12-01 09:06:32.000000');
INSERT INTO "predictions" VALUES(58,'r57','{"age": 67.0}',0.7,1,'1',1.5,'2026-12-01 09:06:39.000000');
INSERT INTO "predictions" VALUES(59,'r58','{"age": 68.0}',0.8,1,'1',1.5,'2026-12-01 09:06:46.000000');
INSERT INTO "predictions" VALUES(60,'r59','{"age": 69.0}',0.9,1,'1',1.5,'2026-12-01 09:06:53.000000');
INSERT INTO "predictions" VALUES(61,'r60','{"age": 40.0}',0.0,0,'1',1.5,'2026-12-01 09:07:00.000000');
INSERT INTO "predictions" VALUES(62,'r61','{"age": 41.0}',0.1,0,'1',1.5,'2026-12-01 09:07:07.000000');
INSERT INTO "predictions" VALUES(63,'r62','{"age": 42.0}',0.2,0,'1',1.5,'2026-12-01 09:07:14.000000');
INSERT INTO "predictions" VALUES(64,'r63','{"age": 43.0}',0.3,0,'1',1.5,'2026-12-01 09:07:21.000000');
INSERT INTO "predictions" VALUES(65,'r64','{"age": 44.0}',0.4,0,'1',1.5,'2026-12-01 09:07:28.000000');
INSERT INTO "predictions" VALUES(66,'r65','{"age": 45.0}',0.5,1,'1',1.5,'2026-12-01 09:07:35.000000');
INSERT INTO "predictions" VALUES(67,'r66','{"age": 46.0}',0.6,1,'1',1.5,'2026-12-01 09:07:42.000000');
INSERT INTO "predictions" VALUES(68,'r67','{"age": 47.0}',0.7,1,'1',1.5,'2026-12-01 09:07:49.000000');
INSERT INTO "predictions" VALUES(69,'r68','{"age": 48.0}',0.8,1,'1',1.5,'2026-12-01 09:07:56.000000');
INSERT INTO "predictions" VALUES(70,'r69','{"age": 49.0}',0.9,1,'1',1.5,'2026-12-01 09:08:03.000000');
INSERT INTO "predictions" VALUES(71,'r70','{"age": 50.0}',0.0,0,'1',1.5,'2026-12-01 09:08:10.000000');
INSERT INTO "predictions" VALUES(72,'r71','{"age": 51.0}',0.1,0,'1',1.5,'2026-12-01 09:08:17.000000');
INSERT INTO "predictions" VALUES(73,'r72','{"age": 52.0}',0.2,0,'1',1.5,'2026-12-01 09:08:24.000000');
INSERT INTO "predictions" VALUES(74,'r73','{"age": 53.0}',0.3,0,'1',1.5,'2026-12-01 09:08:31.000000');
INSERT INTO "predictions" VALUES(75,'r74','{"age": 54.0}',0.4,0,'1',1.5,'2026-12-01 09:08:38.000000');
INSERT INTO "predictions" VALUES(76,'r75','{"age": 55.0}',0.5,1,'1',1.5,'2026-12-01 09:08:45.000000');
INSERT INTO "predictions" VALUES(77,'r76','{"age": 56.0}',0.6,1,'1',1.5,'2026-12-01 09:08:52.000000');
INSERT INTO "predictions" VALUES(78,'r77','{"age": 57.0}',0.7,1,'1',1.5,'2026-12-01 09:08:59.000000');
INSERT INTO "predictions" VALUES(79,'r78','{"age": 58.0}',0.8,1,'1',1.5,'2026-12-01 09:09:06.000000');
INSERT INTO "predictions" VALUES(80,'r79','{"age": 59.0}',0.9,1,'1',1.5,'2026-12-01 09:09:13.000000');
INSERT INTO "predictions" VALUES(81,'r80','{"age": 60.0}',0.0,0,'1',1.5,'2026-12-01 09:09:20.000000');
INSERT INTO "predictions" VALUES(82,'r81','{"age": 61.0}',0.1,0,'1',1.5,'2026-12-01 09:09:27.000000');
INSERT INTO "predictions" VALUES(83,'r82','{"age": 62.0}',0.2,0,'1',1.5,'2026-12-01 09:09:34.000000');
INSERT INTO "predictions" VALUES(84,'r83','{"age": 63.0}',0.3,0,'1',1.5,'2026-12-01 09:09:41.000000');
INSERT INTO "predictions" VALUES(85,'r84','{"age": 64.0}',0.4,0,'1',1.5,'2026-12-01 09:09:48.000000');
INSERT INTO "predictions" VALUES(86,'r85','{"age": 65.0}',0.5,1,'1',1.5,'2026-12-01 09:09:55.000000');
INSERT INTO "predictions" VALUES(87,'r86','{"age": 66.0}',0.6,1,'1',1.5,'2026-12-01 09:10:02.000000');
INSERT INTO "predictions" VALUES(88,'r87','{"age": 67.0}',0.7,1,'1',1.5,'2026-12-01 09:10:09.000000');
INSERT INTO "predictions" VALUES(89,'r88','{"age": 68.0}',0.8,1,'1',1.5,'2026-12-01 09:10:16.000000');
INSERT INTO "predictions" VALUES(90,'r89','{"age": 69.0}',0.9,1,'1',1.5,'2026-12-01 09:10:23.000000');
INSERT INTO "predictions" VALUES(91,'r90','{"age": 40.0}',0.0,0,'1',1.5,'2026-12-01 09:10:30.000000');
INSERT INTO "predictions" VALUES(92,'r91','{"age": 41.0}',0.1,0,'1',1.5,'2026-12-01 09:10:37.000000');
INSERT INTO "predictions" VALUES(93,'r92','{"age": 42.0}',0.2,0,'1',1.5,'2026-12-01 09:10:44.000000');
INSERT INTO "predictions" VALUES(94,'r93','{"age": 43.0}',0.3,0,'1',1.5,'2026-12-01 09:10:51.000000');
INSERT INTO "predictions" VALUES(95,'r94','{"age": 44.0}',0.4,0,'1',1.5,'2026-12-01 09:10:58.000000');
INSERT INTO "predictions" VALUES(96,'r95','{"age": 45.0}',0.5,1,'1',1.5,'2026-12-01 09:11:05.000000');
INSERT INTO "predictions" VALUES(97,'r96','{"age": 46.0}',0.6,1,'1',1.5,'2026-12-01 09:11:12.000000');
INSERT INTO "predictions" VALUES(98,'r97','{"age": 47.0}',0.7,1,'1',1.5,'2026-12-01 09:11:19.000000');
INSERT INTO "predictions" VALUES(99,'r98','{"age": 48.0}',0.8,1,'1',1.5,'2026-12-01 09:11:26.000000');
INSERT INTO "predictions" VALUES(100,'r99','{"age": 49.0}',0.9,1,'1',1.5,'2026-12-01 09:11:33.000000');
INSERT INTO "predictions" VALUES(101,'r100','{"age": 50.0}',0.0,0,'1',1.5,'2026-12-01 09:11:40.000000');
INSERT INTO "predictions" VALUES(102,'r101','{"age": 51.0}',0.1,0,'1',1.5,'2026-12-01 09:11:47.000000');
INSERT INTO "predictions" VALUES(103,'r102','{"age": 52.0}',0.2,0,'1',1.5,'2026-12-01 09:11:54.000000');
INSERT INTO "predictions" VALUES(104,'r103','{"age": 53.0}',0.3,0,'1',1.5,'2026-12-01 09:12:01.000000');
INSERT INTO "predictions" VALUES(105,'r104','{"age": 54.0}',0.4,0,'1',1.5,'2026-12-01 09:12:08.000000');
INSERT INTO "predictions" VALUES(106,'r105','{"age": 55.0}',0.5,1,'1',1.5,'2026-12-01 09:12:15.000000');
INSERT INTO "predictions" VALUES(107,'r106','{"age": 56.0}',0.6,1,'1',1.5,'2026-12-01 09:12:22.000000');
INSERT INTO "predictions" VALUES(108,'r107','{"age": 57.0}',0.7,1,'1',1.5,'2026-12-01 09:12:29.000000');
INSERT INTO "predictions" VALUES(109,'r108','{"age": 58.0}',0.8,1,'1',1.5,'2026-12-01 09:12:36.000000');
INSERT INTO "predictions" VALUES(110,'r109','{"age": 59.0}',0.9,1,'1',1.5,'2026-12-01 09:12:43.000000');
INSERT INTO "predictions" VALUES(111,'r110','{"age": 60.0}',0.0,0,'1',1.5,'2026-12-01 09:12:50.000000');
INSERT INTO "predictions" VALUES(112,'r111','{"age": 61.0}',0.1,0,'1',1.5,'2026-12-01 09:12:57.000000');
INSERT INTO "predictions" VALUES(113,'r112','{"age": 62.0}',0.2,0,'1',1.5,'2026-12-01 09:13:04.000000');
INSERT INTO "predictions" VALUES(114,'r113','{"age": 63.0}',0.3,0,'1',1.5,'2026-12-01 09:13:11.000000');
INSERT INTO "predictions" VALUES(115,'r114','{"age": 64.0}',0.4,0,'1',1.5,'2026-12-01 09:13:18.000000');
INSERT INTO "predictions" VALUES(116,'r115','{"age": 65.0}',0.5,1,'1',1.5,'2026-12-01 09:13:25.000000');
INSERT INTO "predictions" VALUES(117,'r116','{"age": 66.0}',0.6,1,'1',1.5,'2026-12-01 09:13:32.000000');
INSERT INTO "predictions" VALUES(118,'r117','{"age": 67.0}',0.7,1,'1',1.5,'2026-12-01 09:13:39.000000');
INSERT INTO "predictions" VALUES(119,'r118','{"age": 68.0}',0.8,1,'1',1.5,'2026-12-01 09:13:46.000000');
INSERT INTO "predictions" VALUES(120,'r119','{"age": 69.0}',0.9,1,'1',1.5,'2026-12-01 09:13:53.000000');
INSERT INTO "predictions" VALUES(121,'r120','{"age": 40.0}',0.0,0,'1',1.5,'2026-12-01 09:14:00.000000');
INSERT INTO "predictions" VALUES(122,'r121','{"age": 41.0}',0.1,0,'1',1.5,'2026-12-01 09:14:07.000000');
INSERT INTO "predictions" VALUES(123,'r122','{"age": 42.0}',0.2,0,'1',1.5,'2026-12-01 09:14:14.000000');
INSERT INTO "predictions" VALUES(124,'r123','{"age": 43.0}',0.3,0,'1',1.5,'2026-12-01 09:14:21.000000');
INSERT INTO "predictions" VALUES(125,'r124','{"age": 44.0}',0.4,0,'1',1.5,'2026-12-01 09:14:28.000000');
INSERT INTO "predictions" VALUES(126,'r125','{"age": 45.0}',0.5,1,'1',1.5,'2026-12-01 09:14:35.000000');
INSERT INTO "predictions" VALUES(127,'r126','{"age": 46.0}',0.6,1,'1',1.5,'2026-12-01 09:14:42.000000');
INSERT INTO "predictions" VALUES(128,'r127','{"age": 47.0}',0.7,1,'1',1.5,'2026-12-01 09:14:49.000000');
INSERT INTO "predictions" VALUES(129,'r128','{"age": 48.0}',0.8,1,'1',1.5,'2026-12-01 09:14:56.000000');
INSERT INTO "predictions" VALUES(130,'r129','{"age": 49.0}',0.9,1,'1',1.5,'2026-12-01 09:15:03.000000');
INSERT INTO "predictions" VALUES(131,'r130','{"age": 50.0}',0.0,0,'1',1.5,'2026-12-01 09:15:10.000000');
INSERT INTO "predictions" VALUES(132,'r131','{"age": 51.0}',0.1,0,'1',1.5,'2026-12-01 09:15:17.000000');
INSERT INTO "predictions" VALUES(133,'r132','{"age": 52.0}',0.2,0,'1',1.5,'2026-12-01 09:15:24.000000');
INSERT INTO "predictions" VALUES(134,'r133','{"age": 53.0}',0.3,0,'1',1.5,'2026-12-01 09:15:31.000000');
INSERT INTO "predictions" VALUES(135,'r134','{"age": 54.0}',0.4,0,'1',1.5,'2026-12-01 09:15:38.000000');
INSERT INTO "predictions" VALUES(136,'r135','{"age": 55.0}',0.5,1,'1',1.5,'2026-12-01 09:15:45.000000');
INSERT INTO "predictions" VALUES(137,'r136','{"age": 56.0}',0.6,1,'1',1.5,'2026-12-01 09:15:52.000000');
INSERT INTO "predictions" VALUES(138,'r137','{"age": 57.0}',0.7,1,'1',1.5,'2026-12-01 09:15:59.000000');
INSERT INTO "predictions" VALUES(139,'r138','{"age": 58.0}',0.8,1,'1',1.5,'2026-12-01 09:16:06.000000');
INSERT INTO "predictions" VALUES(140,'r139','{"age": 59.0}',0.9,1,'1',1.5,'2026-12-01 09:16:13.000000');
INSERT INTO "predictions" VALUES(141,'r140','{"age": 60.0}',0.0,0,'1',1.5,'2026-12-01 09:16:20.000000');
INSERT INTO "predictions" VALUES(142,'r141','{"age": 61.0}',0.1,0,'1',1.5,'2026-12-01 09:16:27.000000');
INSERT INTO "predictions" VALUES(143,'r142','{"age": 62.0}',0.2,0,'1',1.5,'2026-12-01 09:16:34.000000');
INSERT INTO "predictions" VALUES(144,'r143','{"age": 63.0}',0.3,0,'1',1.5,'2026-12-01 09:16:41.000000');
INSERT INTO "predictions" VALUES(145,'r144','{"age": 64.0}',0.4,0,'1',1.5,'2026-12-01 09:16:48.000000');
INSERT INTO "predictions" VALUES(146,'r145','{"age": 65.0}',0.5,1,'1',1.5,'2026-12-01 09:16:55.000000');
INSERT INTO "predictions" VALUES(147,'r146','{"age": 66.0}',0.6,1,'1',1.5,'2026-12-01 09:17:02.000000');
INSERT INTO "predictions" VALUES(148,'r147','{"age": 67.0}',0.7,1,'1',1.5,'2026-12-01 09:17:09.000000');
INSERT INTO "predictions" VALUES(149,'r148','{"age": 68.0}',0.8,1,'1',1.5,'2026-12-01 09:17:16.000000');
INSERT INTO "predictions" VALUES(150,'r149','{"age": 69.0}',0.9,1,'1',1.5,'2026-12-01 09:17:23.000000');
INSERT INTO "predictions" VALUES(151,'r150','{"age": 40.0}',0.0,0,'2',1.5,'2026-12-01 09:17:30.000000');
INSERT INTO "predictions" VALUES(152,'r151','{"age": 41.0}',0.1,0,'2',1.5,'2026-12-01 09:17:37.000000');
INSERT INTO "predictions" VALUES(153,'r152','{"age": 42.0}',0.2,0,'2',1.5,'2026-12-01 09:17:44.000000');
INSERT INTO "predictions" VALUES(154,'r153','{"age": 43.0}',0.3,0,'2',1.5,'2026-12-01 09:17:51.000000');
INSERT INTO "predictions" VALUES(155,'r154','{"age": 44.0}',0.4,0,'2',1.5,'2026-12-01 09:17:58.000000');
INSERT INTO "predictions" VALUES(156,'r155','{"age": 45.0}',0.5,1,'2',1.5,'2026-12-01 09:18:05.000000');
INSERT INTO "predictions" VALUES(157,'r156','{"age": 46.0}',0.6,1,'2',1.5,'2026-12-01 09:18:12.000000');
INSERT INTO "predictions" VALUES(158,'r157','{"age": 47.0}',0.7,1,'2',1.5,'2026-12-01 09:18:19.000000');
INSERT INTO "predictions" VALUES(159,'r158','{"age": 48.0}',0.8,1,'2',1.5,'2026-12-01 09:18:26.000000');
INSERT INTO "predictions" VALUES(160,'r159','{"age": 49.0}',0.9,1,'2',1.5,'2026-12-01 09:18:33.000000');
INSERT INTO "predictions" VALUES(161,'r160','{"age": 50.0}',0.0,0,'2',1.5,'2026-12-01 09:18:40.000000');
INSERT INTO "predictions" VALUES(162,'r161','{"age": 51.0}',0.1,0,'2',1.5,'2026-12-01 09:18:47.000000');
INSERT INTO "predictions" VALUES(163,'r162','{"age": 52.0}',0.2,0,'2',1.5,'2026-12-01 09:18:54.000000');
INSERT INTO "predictions" VALUES(164,'r163','{"age": 53.0}',0.3,0,'2',1.5,'2026-12-01 09:19:01.000000');
INSERT INTO "predictions" VALUES(165,'r164','{"age": 54.0}',0.4,0,'2',1.5,'2026-12-01 09:19:08.000000');
INSERT INTO "predictions" VALUES(166,'r165','{"age": 55.0}',0.5,1,'2',1.5,'2026-12-01 09:19:15.000000');
INSERT INTO "predictions" VALUES(167,'r166','{"age": 56.0}',0.6,1,'2',1.5,'2026-12-01 09:19:22.000000');
INSERT INTO "predictions" VALUES(168,'r167','{"age": 57.0}',0.7,1,'2',1.5,'2026-12-01 09:19:29.000000');
INSERT INTO "predictions" VALUES(169,'r168','{"age": 58.0}',0.8,1,'2',1.5,'2026-12-01 09:19:36.000000');
INSERT INTO "predictions" VALUES(170,'r169','{"age": 59.0}',0.9,1,'2',1.5,'2026-12-01 09:19:43.000000');
INSERT INTO "predictions" VALUES(171,'r170','{"age": 60.0}',0.0,0,'2',1.5,'2026-12-01 09:19:50.000000');
INSERT INTO "predictions" VALUES(172,'r171','{"age": 61.0}',0.1,0,'2',1.5,'2026-12-01 09:19:57.000000');
INSERT INTO "predictions" VALUES(173,'r172','{"age": 62.0}',0.2,0,'2',1.5,'2026-12-01 09:20:04.000000');
INSERT INTO "predictions" VALUES(174,'r173','{"age": 63.0}',0.3,0,'2',1.5,'2026-12-01 09:20:11.000000');
INSERT INTO "predictions" VALUES(175,'r174','{"age": 64.0}',0.4,0,'2',1.5,'2026-12-01 09:20:18.000000');
INSERT INTO "predictions" VALUES(176,'r175','{"age": 65.0}',0.5,1,'2',1.5,'2026-12-01 09:20:25.000000');
INSERT INTO "predictions" VALUES(177,'r176','{"age": 66.0}',0.6,1,'2',1.5,'2026-12-01 09:20:32.000000');
INSERT INTO "predictions" VALUES(178,'r177','{"age": 67.0}',0.7,1,'2',1.5,'2026-12-01 09:20:39.000000');
INSERT INTO "predictions" VALUES(179,'r178','{"age": 68.0}',0.8,1,'2',1.5,'2026-12-01 09:20:46.000000');
INSERT INTO "predictions" VALUES(180,'r179','{"age": 69.0}',0.9,1,'2',1.5,'2026-12-01 09:20:53.000000');
INSERT INTO "predictions" VALUES(181,'r180','{"age": 40.0}',0.0,0,'2',1.5,'2026-12-01 09:21:00.000000');
INSERT INTO "predictions" VALUES(182,'r181','{"age": 41.0}',0.1,0,'2',1.5,'2026-12-01 09:21:07.000000');
INSERT INTO "predictions" VALUES(183,'r182','{"age": 42.0}',0.2,0,'2',1.5,'2026-12-01 09:21:14.000000');
INSERT INTO "predictions" VALUES(184,'r183','{"age": 43.0}',0.3,0,'2',1.5,'2026-12-01 09:21:21.000000');
INSERT INTO "predictions" VALUES(185,'r184','{"age": 44.0}',0.4,0,'2',1.5,'2026-12-01 09:21:28.000000');
INSERT INTO "predictions" VALUES(186,'r185','{"age": 45.0}',0.5,1,'2',1.5,'2026-12-01 09:21:35.000000');
INSERT INTO "predictions" VALUES(187,'r186','{"age": 46.0}',0.6,1,'2',1.5,'2026-12-01 09:21:42.000000');
INSERT INTO "predictions" VALUES(188,'r187','{"age": 47.0}',0.7,1,'2',1.5,'2026-12-01 09:21:49.000000');
INSERT INTO "predictions" VALUES(189,'r188','{"age": 48.0}',0.8,1,'2',1.5,'2026-12-01 09:21:56.000000');
INSERT INTO "predictions" VALUES(190,'r189','{"age": 49.0}',0.9,1,'2',1.5,'2026-12-01 09:22:03.000000');
INSERT INTO "predictions" VALUES(191,'r190','{"age": 50.0}',0.0,0,'2',1.5,'2026-12-01 09:22:10.000000');
INSERT INTO "predictions" VALUES(192,'r191','{"age": 51.0}',0.1,0,'2',1.5,'2026-12-01 09:22:17.000000');
INSERT INTO "predictions" VALUES(193,'r192','{"age": 52.0}',0.2,0,'2',1.5,'2026-12-01 09:22:24.000000');
INSERT INTO "predictions" VALUES(194,'r193','{"age": 53.0}',0.3,0,'2',1.5,'2026-12-01 09:22:31.000000');
INSERT INTO "predictions" VALUES(195,'r194','{"age": 54.0}',0.4,0,'2',1.5,'2026-12-01 09:22:38.000000');
INSERT INTO "predictions" VALUES(196,'r195','{"age": 55.0}',0.5,1,'2',1.5,'2026-12-01 09:22:45.000000');
INSERT INTO "predictions" VALUES(197,'r196','{"age": 56.0}',0.6,1,'2',1.5,'2026-12-01 09:22:52.000000');
INSERT INTO "predictions" VALUES(198,'r197','{"age": 57.0}',0.7,1,'2',1.5,'2026-12-01 09:22:59.000000');
INSERT INTO "predictions" VALUES(199,'r198','{"age": 58.0}',0.8,1,'2',1.5,'2026-12-01 09:23:06.000000');
INSERT INTO "predictions" VALUES(200,'r199','{"age": 59.0}',0.9,1,'2',1.5,'2026-12-01 09:23:13.000000');
INSERT INTO "predictions" VALUES(201,'r200','{"age": 60.0}',0.0,0,'2',1.5,'2026-12-01 09:23:20.000000');
INSERT INTO "predictions" VALUES(202,'r201','{"age": 61.0}',0.1,0,'2',1.5,'2026-12-01 09:23:27.000000');
INSERT INTO "predictions" VALUES(203,'r202','{"age": 62.0}',0.2,0,'2',1.5,'2026-12-01 09:23:34.000000');
INSERT INTO "predictions" VALUES(204,'r203','{"age": 63.0}',0.3,0,'2',1.5,'2026-12-01 09:23:41.000000');
INSERT INTO "predictions" VALUES(205,'r204','{"age": 64.0}',0.4,0,'2',1.5,'2026-12-01 09:23:48.000000');
INSERT INTO "predictions" VALUES(206,'r205','{"age": 65.0}',0.5,1,'2',1.5,'2026-12-01 09:23:55.000000');
INSERT INTO "predictions" VALUES(207,'r206','{"age": 66.0}',0.6,1,'2',1.5,'2026-12-01 09:24:02.000000');
INSERT INTO "predictions" VALUES(208,'r207','{"age": 67.0}',0.7,1,'2',1.5,'2026-12-01 09:24:09.000000');
INSERT INTO "predictions" VALUES(209,'r208','{"age": 68.0}',0.8,1,'2',1.5,'2026-12-01 09:24:16.000000');
INSERT INTO "predictions" VALUES(210,'r209','{"age": 69.0}',0.9,1,'2',1.5,'2026-12-01 09:24:23.000000');
INSERT INTO "predictions" VALUES(211,'r210','{"age": 40.0}',0.0,0,'2',1.5,'2026-12-01 09:24:30.000000');
INSERT INTO "predictions" VALUES(212,'r211','{"age": 41.0}',0.1,0,'2',1.5,'2026-12-01 09:24:37.000000');
INSERT INTO "predictions" VALUES(213,'r212','{"age": 42.0}',0.2,0,'2',1.5,'2026-12-01 09:24:44.000000');
INSERT INTO "predictions" VALUES(214,'r213','{"age": 43.0}',0.3,0,'2',1.5,'2026-12-01 09:24:51.000000');
INSERT INTO "predictions" VALUES(215,'r214','{"age": 44.0}',0.4,0,'2',1.5,'2026-12-01 09:24:58.000000');
INSERT INTO "predictions" VALUES(216,'r215','{"age": 45.0}',0.5,1,'2',1.5,'2026-12-01 09:25:05.000000');
INSERT INTO "predictions" VALUES(217,'r216','{"age": 46.0}',0.6,1,'2',1.5,'2026-12-01 09:25:12.000000');
INSERT INTO "predictions" VALUES(218,'r217','{"age": 47.0}',0.7,1,'2',1.5,'2026-12-01 09:25:19.000000');
INSERT INTO "predictions" VALUES(219,'r218','{"age": 48.0}',0.8,1,'2',1.5,'2026-12-01 09:25:26.000000');
INSERT INTO "predictions" VALUES(220,'r219','{"age": 49.0}',0.9,1,'2',1.5,'2026-12-01 09:25:33.000000');
INSERT INTO "predictions" VALUES(221,'r220','{"age": 50.0}',0.0,0,'2',1.5,'2026-12-01 09:25:40.000000');
INSERT INTO "predictions" VALUES(222,'r221','{"age": 51.0}',0.1,0,'2',1.5,'2026-12-01 09:25:47.000000');
INSERT INTO "predictions" VALUES(223,'r222','{"age": 52.0}',0.2,0,'2',1.5,'2026-12-01 09:25:54.000000');
INSERT INTO "predictions" VALUES(224,'r223','{"age": 53.0}',0.3,0,'2',1.5,'2026-12-01 09:26:01.000000');
INSERT INTO "predictions" VALUES(225,'r224','{"age": 54.0}',0.4,0,'2',1.5,'2026-12-01 09:26:08.000000');
INSERT INTO "predictions" VALUES(226,'r225','{"age": 55.0}',0.5,1,'2',1.5,'2026-12-01 09:26:15.000000');
INSERT INTO "predictions" VALUES(227,'r226','{"age": 56.0}',0.6,1,'2',1.5,'2026-12-01 09:26:22.000000');
INSERT INTO "predictions" VALUES(228,'r227','{"age": 57.0}',0.7,1,'2',1.5,'2026-12-01 09:26:29.000000');
INSERT INTO "predictions" VALUES(229,'r228','{"age": 58.0}',0.8,1,'2',1.5,'2026-12-01 09:26:36.000000');
INSERT INTO "predictions" VALUES(230,'r229','{"age": 59.0}',0.9,1,'2',1.5,'2026-12-01 09:26:43.000000');
INSERT INTO "predictions" VALUES(231,'r230','{"age": 60.0}',0.0,0,'2',1.5,'2026-12-01 09:26:50.000000');
INSERT INTO "predictions" VALUES(232,'r231','{"age": 61.0}',0.1,0,'2',1.5,'2026-12-01 09:26:57.000000');
INSERT INTO "predictions" VALUES(233,'r232','{"age": 62.0}',0.2,0,'2',1.5,'2026-12-01 09:27:04.000000');
INSERT INTO "predictions" VALUES(234,'r233','{"age": 63.0}',0.3,0,'2',1.5,'2026-12-01 09:27:11.000000');
INSERT INTO "predictions" VALUES(235,'r234','{"age": 64.0}',0.4,0,'2',1.5,'2026-12-01 09:27:18.000000');
INSERT INTO "predictions" VALUES(236,'r235','{"age": 65.0}',0.5,1,'2',1.5,'2026-12-01 09:27:25.000000');
INSERT INTO "predictions" VALUES(237,'r236','{"age": 66.0}',0.6,1,'2',1.5,'2026-12-01 09:27:32.000000');
INSERT INTO "predictions" VALUES(238,'r237','{"age": 67.0}',0.7,1,'2',1.5,'2026-12-01 09:27:39.000000');
INSERT INTO "predictions" VALUES(239,'r238','{"age": 68.0}',0.8,1,'2',1.5,'2026-12-01 09:27:46.000000');
INSERT INTO "predictions" VALUES(240,'r239','{"age": 69.0}',0.9,1,'2',1.5,'2026-12-01 09:27:53.000000');
INSERT INTO "predictions" VALUES(241,'r240','{"age": 40.0}',0.0,0,'2',1.5,'2026-12-01 09:28:00.000000');
INSERT INTO "predictions" VALUES(242,'r241','{"age": 41.0}',0.1,0,'2',1.5,'2026-12-01 09:28:07.000000');
INSERT INTO "predictions" VALUES(243,'r242','{"age": 42.0}',0.2,0,'2',1.5,'2026-12-01 09:28:14.000000');
INSERT INTO "predictions" VALUES(244,'r243','{"age": 43.0}',0.3,0,'2',1.5,'2026-12-01 09:28:21.000000');
INSERT INTO "predictions" VALUES(245,'r244','{"age": 44.0}',0.4,0,'2',1.5,'2026-12-01 09:28:28.000000');
INSERT INTO "predictions" VALUES(246,'r245','{"age": 45.0}',0.5,1,'2',1.5,'2026-12-01 09:28:35.000000');
INSERT INTO "predictions" VALUES(247,'r246','{"age": 46.0}',0.6,1,'2',1.5,'2026-12-01 09:28:42.000000');
INSERT INTO "predictions" VALUES(248,'r247','{"age": 47.0}',0.7,1,'2',1.5,'2026-12-01 09:28:49.000000');
INSERT INTO "predictions" VALUES(249,'r248','{"age": 48.0}',0.8,1,'2',1.5,'2026-12-01 09:28:56.000000');
INSERT INTO "predictions" VALUES(250,'r249','{"age": 49.0}',0.9,1,'2',1.5,'2026-12-01 09:29:03.000000');
INSERT INTO "predictions" VALUES(251,'r250','{"age": 50.0}',0.0,0,'2',1.5,'2026-12-01 09:29:10.000000');
INSERT INTO "predictions" VALUES(252,'r251','{"age": 51.0}',0.1,0,'2',1.5,'2026-12-01 09:29:17.000000');
INSERT INTO "predictions" VALUES(253,'r252','{"age": 52.0}',0.2,0,'2',1.5,'2026-12-01 09:29:24.000000');
INSERT INTO "predictions" VALUES(254,'r253','{"age": 53.0}',0.3,0,'2',1.5,'2026-12-01 09:29:31.000000');
INSERT INTO "predictions" VALUES(255,'r254','{"age": 54.0}',0.4,0,'2',1.5,'2026-12-01 09:29:38.000000');
INSERT INTO "predictions" VALUES(256,'r255','{"age": 55.0}',0.5,1,'2',1.5,'2026-12-01 09:29:45.000000');
INSERT INTO "predictions" VALUES(257,'r256','{"age": 56.0}',0.6,1,'2',1.5,'2026-12-01 09:29:52.000000');
INSERT INTO "predictions" VALUES(258,'r257','{"age": 57.0}',0.7,1,'2',1.5,'2026-12-01 09:29:59.000000');
INSERT INTO "predictions" VALUES(259,'r258','{"age": 58.0}',0.8,1,'2',1.5,'2026-12-01 09:30:06.000000');
INSERT INTO "predictions" VALUES(260,'r259','{"age": 59.0}',0.9,1,'2',1.5,'2026-12-01 09:30:13.000000');
INSERT INTO "predictions" VALUES(261,'r260','{"age": 60.0}',0.0,0,'2',1.5,'2026-12-01 09:30:20.000000');
INSERT INTO "predictions" VALUES(262,'r261','{"age": 61.0}',0.1,0,'2',1.5,'2026-12-01 09:30:27.000000');
INSERT INTO "predictions" VALUES(263,'r262','{"age": 62.0}',0.2,0,'2',1.5,'2026-12-01 09:30:34.000000');
INSERT INTO "predictions" VALUES(264,'r263','{"age": 63.0}',0.3,0,'2',1.5,'2026-12-01 09:30:41.000000');
INSERT INTO "predictions" VALUES(265,'r264','{"age": 64.0}',0.4,0,'2',1.5,'2026-12-01 09:30:48.000000');
INSERT INTO "predictions" VALUES(266,'r265','{"age": 65.0}',0.5,1,'2',1.5,'2026-12-01 09:30:55.000000');
INSERT INTO "predictions" VALUES(267,'r266','{"age": 66.0}',0.6,1,'2',1.5,'2026-12-01 09:31:02.000000');
INSERT INTO "predictions" VALUES(268,'r267','{"age": 67.0}',0.7,1,'2',1.5,'2026-12-01 09:31:09.000000');
INSERT INTO "predictions" VALUES(269,'r268','{"age": 68.0}',0.8,1,'2',1.5,'2026-12-01 09:31:16.000000');
INSERT INTO "predictions" VALUES(270,'r269','{"age": 69.0}',0.9,1,'2',1.5,'2026-12-01 09:31:23.000000');
INSERT INTO "predictions" VALUES(271,'r270','{"age": 40.0}',0.0,0,'2',1.5,'2026-12-01 09:31:30.000000');
INSERT INTO "predictions" VALUES(272,'r271','{"age": 41.0}',0.1,0,'2',1.5,'2026-12-01 09:31:37.000000');
INSERT INTO "predictions" VALUES(273,'r272','{"age": 42.0}',0.2,0,'2',1.5,'2026-12-01 09:31:44.000000');
INSERT INTO "predictions" VALUES(274,'r273','{"age": 43.0}',0.3,0,'2',1.5,'2026-12-01 09:31:51.000000');
INSERT INTO "predictions" VALUES(275,'r274','{"age": 44.0}',0.4,0,'2',1.5,'2026-12-01 09:31:58.000000');
INSERT INTO "predictions" VALUES(276,'r275','{"age": 45.0}',0.5,1,'2',1.5,'2026-12-01 09:32:05.000000');
INSERT INTO "predictions" VALUES(277,'r276','{"age": 46.0}',0.6,1,'2',1.5,'2026-12-01 09:32:12.000000');
INSERT INTO "predictions" VALUES(278,'r277','{"age": 47.0}',0.7,1,'2',1.5,'2026-12-01 09:32:19.000000');
INSERT INTO "predictions" VALUES(279,'r278','{"age": 48.0}',0.8,1,'2',1.5,'2026-12-01 09:32:26.000000');
INSERT INTO "predictions" VALUES(280,'r279','{"age": 49.0}',0.9,1,'2',1.5,'2026-12-01 09:32:33.000000');
INSERT INTO "predictions" VALUES(281,'r280','{"age": 50.0}',0.0,0,'2',1.5,'2026-12-01 09:32:40.000000');
INSERT INTO "predictions" VALUES(282,'r281','{"age": 51.0}',0.1,0,'2',1.5,'2026-12-01 09:32:47.000000');
INSERT INTO "predictions" VALUES(283,'r282','{"age": 52.0}',0.2,0,'2',1.5,'2026-12-01 09:32:54.000000');
INSERT INTO "predictions" VALUES(284,'r283','{"age": 53.0}',0.3,0,'2',1.5,'2026-12-01 09:33:01.000000');
INSERT INTO "predictions" VALUES(285,'r284','{"age": 54.0}',0.4,0,'2',1.5,'2026-12-01 09:33:08.000000');
INSERT INTO "predictions" VALUES(286,'r285','{"age": 55.0}',0.5,1,'2',1.5,'2026-12-01 09:33:15.000000');
INSERT INTO "predictions" VALUES(287,'r286','{"age": 56.0}',0.6,1,'2',1.5,'2026-12-01 09:33:22.000000');
INSERT INTO "predictions" VALUES(288,'r287','{"age": 57.0}',0.7,1,'2',1.5,'2026-12-01 09:33:29.000000');
INSERT INTO "predictions" VALUES(289,'r288','{"age": 58.0}',0.8,1,'2',1.5,'2026-12-01 09:33:36.000000');
INSERT INTO "predictions" VALUES(290,'r289','{"age": 59.0}',0.9,1,'2',1.5,'2026-12-01 09:33:43.000000');
INSERT INTO "predictions" VALUES(291,'r290','{"age": 60.0}',0.0,0,'2',1.5,'2026-12-01 09:33:50.000000');
INSERT INTO "predictions" VALUES(292,'r291','{"age": 61.0}',0.1,0,'2',1.5,'2026-12-01 09:33:57.000000');
INSERT INTO "predictions" VALUES(293,'r292','{"age": 62.0}',0.2,0,'2',1.5,'2026-12-01 09:34:04.000000');
INSERT INTO "predictions" VALUES(294,'r293','{"age": 63.0}',0.3,0,'2',1.5,'2026-12-01 09:34:11.000000');
INSERT INTO "predictions" VALUES(295,'r294','{"age": 64.0}',0.4,0,'2',1.5,'2026-12-01 09:34:18.000000');
INSERT INTO "predictions" VALUES(296,'r295','{"age": 65.0}',0.5,1,'2',1.5,'2026-12-01 09:34:25.000000');
INSERT INTO "predictions" VALUES(297,'r296','{"age": 66.0}',0.6,1,'2',1.5,'2026-12-01 09:34:32.000000');
INSERT INTO "predictions" VALUES(298,'r297','{"age": 67.0}',0.7,1,'2',1.5,'2026-12-01 09:34:39.000000');
INSERT INTO "predictions" VALUES(299,'r298','{"age": 68.0}',0.8,1,'2',1.5,'2026-12-01 09:34:46.000000');
INSERT INTO "predictions" VALUES(300,'r299','{"age": 69.0}',0.9,1,'2',1.5,'2026-12-01 09:34:53.000000');
CREATE TABLE pruned_threads (
	incident_id INTEGER NOT NULL, 
	pruned_at DATETIME NOT NULL, 
	findings JSON NOT NULL, 
	PRIMARY KEY (incident_id), 
	FOREIGN KEY(incident_id) REFERENCES incidents (id)
);
CREATE TABLE registry_events (
	id INTEGER NOT NULL, 
	model VARCHAR(200) NOT NULL, 
	action VARCHAR(32) NOT NULL, 
	alias VARCHAR(32) NOT NULL, 
	version VARCHAR(32) NOT NULL, 
	replaced VARCHAR(32), 
	actor VARCHAR(200) NOT NULL, 
	reason TEXT NOT NULL, 
	at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE registry_locks (
	model VARCHAR(200) NOT NULL, 
	changes INTEGER NOT NULL, 
	PRIMARY KEY (model)
);
CREATE TABLE seen_signatures (
	signature VARCHAR(128) NOT NULL, 
	seen_at DATETIME NOT NULL, 
	PRIMARY KEY (signature)
);
CREATE TABLE serving_generations (
	model VARCHAR(200) NOT NULL, 
	generation INTEGER NOT NULL, 
	requested_by VARCHAR(200) NOT NULL, 
	requested_at DATETIME, 
	PRIMARY KEY (model)
);
CREATE TABLE silenced_alerts (
	id INTEGER NOT NULL, 
	silence_id INTEGER NOT NULL, 
	fingerprint VARCHAR(128) NOT NULL, 
	payload JSON NOT NULL, 
	received_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(silence_id) REFERENCES silences (id)
);
CREATE TABLE silences (
	id INTEGER NOT NULL, 
	matchers JSON NOT NULL, 
	comment TEXT NOT NULL, 
	created_by VARCHAR(128) NOT NULL, 
	starts_at DATETIME NOT NULL, 
	ends_at DATETIME NOT NULL, 
	expired_by VARCHAR(128), 
	PRIMARY KEY (id)
);
CREATE TABLE version_training_sets (
	model VARCHAR(200) NOT NULL, 
	version VARCHAR(32) NOT NULL, 
	path TEXT NOT NULL, 
	md5 VARCHAR(64) NOT NULL, 
	rows INTEGER NOT NULL, 
	PRIMARY KEY (model, version)
);
CREATE INDEX ix_registry_events_model ON registry_events (model);
CREATE INDEX ix_incidents_fingerprint ON incidents (fingerprint);
CREATE INDEX ix_incidents_state ON incidents (state);
CREATE INDEX ix_incidents_handled ON incidents (handled);
CREATE INDEX ix_audit_log_incident_id ON audit_log (incident_id);
CREATE INDEX ix_notifications_incident_id ON notifications (incident_id);
CREATE INDEX ix_api_keys_name ON api_keys (name);
CREATE INDEX ix_api_keys_prefix ON api_keys (prefix);
CREATE INDEX ix_console_logins_expires_at ON console_logins (expires_at);
CREATE INDEX ix_seen_signatures_seen_at ON seen_signatures (seen_at);
CREATE INDEX ix_predictions_created_at_label ON predictions (created_at, label);
CREATE INDEX ix_predictions_model_version ON predictions (model_version);
CREATE INDEX ix_monitor_history_checked_at ON monitor_history (checked_at);
CREATE INDEX ix_monitor_history_name_checked_at ON monitor_history (name, checked_at);
CREATE INDEX ix_silences_ends_at ON silences (ends_at);
CREATE INDEX ix_alerts_incident_id ON alerts (incident_id);
CREATE INDEX ix_approvals_incident_id ON approvals (incident_id);
CREATE INDEX ix_approvals_status ON approvals (status);
CREATE INDEX ix_action_runs_tool ON action_runs (tool);
CREATE INDEX ix_action_runs_incident_id ON action_runs (incident_id);
CREATE INDEX ix_notification_outbox_notification_id ON notification_outbox (notification_id);
CREATE INDEX ix_notification_outbox_next_attempt_at ON notification_outbox (next_attempt_at);
CREATE INDEX ix_notification_outbox_status ON notification_outbox (status);
CREATE INDEX ix_agent_work_lease_until ON agent_work (lease_until);
CREATE INDEX ix_silenced_alerts_silence_id ON silenced_alerts (silence_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
COMMIT;
