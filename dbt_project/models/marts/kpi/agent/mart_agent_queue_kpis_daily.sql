{#- Logged-in and paused time per agent, queue, center-local day and the agent's team that
    day (macro agent_queue_kpis). -#}

{{ agent_queue_kpis('local_date') }}
