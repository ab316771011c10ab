{#- Logged-in and paused time per agent, queue, 15-minute interval (UTC start) and the
    agent's team then (macro agent_queue_kpis). -#}

{{ agent_queue_kpis('interval_start_at') }}
