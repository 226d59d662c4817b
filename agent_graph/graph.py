"""Wire the remediation graph; callers compile it with their checkpointer."""

from langgraph.graph import END, START, StateGraph

from agent_graph.nodes.act import act
from agent_graph.nodes.approval import approval
from agent_graph.nodes.assess import assess
from agent_graph.nodes.gate import gate
from agent_graph.nodes.investigate import investigate
from agent_graph.nodes.plan import plan
from agent_graph.nodes.record import record
from agent_graph.nodes.triage import triage
from agent_graph.nodes.verify import verify
from agent_graph.state import AgentContext, AgentInput, AgentState


def build_graph() -> StateGraph:
    """Return triage → assess → investigate → plan → gate → (approval) → act → verify → record."""
    graph = StateGraph(AgentState, input_schema=AgentInput, context_schema=AgentContext)
    graph.add_node("triage", triage)
    graph.add_node("assess", assess)
    graph.add_node("investigate", investigate)
    graph.add_node("plan", plan)
    graph.add_node("gate", gate)          # routes to approval, act or record
    graph.add_node("approval", approval)  # interrupt(); routes to act or record
    graph.add_node("act", act)
    graph.add_node("verify", verify)
    graph.add_node("record", record)
    graph.add_edge(START, "triage")
    graph.add_edge("triage", "assess")
    graph.add_edge("assess", "investigate")
    graph.add_edge("investigate", "plan")
    graph.add_edge("plan", "gate")
    graph.add_edge("act", "verify")
    graph.add_edge("verify", "record")
    graph.add_edge("record", END)
    return graph
