{#- Agent KPIs per agent, 15-minute interval (UTC start) and the agent's team then (macro
    agent_kpis). -#}

{{ agent_kpis('interval_start_at') }}
