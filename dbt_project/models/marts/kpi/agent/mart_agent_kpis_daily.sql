{#- Agent KPIs per agent, center-local day and the agent's team that day (macro agent_kpis). -#}

{{ agent_kpis('local_date') }}
