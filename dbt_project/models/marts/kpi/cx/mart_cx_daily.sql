{#- The customer-experience KPIs per local day of the call's arrival, the queue it ended in,
    the agent who handled it last and that agent's team at the time (an agent who moved team
    leaves past calls with the old team), with the satisfaction drivers as dimensions of the
    same rows: contact type, wait band and agent tenure band, each band with its display label
    and sort key (macro cx_kpis). -#}

{{ cx_kpis([
    'arrival_date', 'queue_id', 'agent_id', 'team_id', 'team_name', 'contact_type', 'wait_band',
    'wait_band_label', 'wait_band_order', 'agent_tenure_band', 'agent_tenure_band_label',
    'agent_tenure_band_order'
]) }}
