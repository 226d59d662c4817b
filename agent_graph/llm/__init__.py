"""Talk to an LLM: the client, its checks, constrained choices, and the assess/plan prompts."""
