{#- When each agent was logged in: the union of their login spans across queues (metric
    contract: logged time; int_agent_login_spans pairs logins with logouts). Overlapping
    spans of one agent in several queues count once. Queue membership (ADDMEMBER) counts
    unless var membership_counts_as_login is false. -#}

with

{# With membership_counts_as_login false, queue membership alone is not logged time (as
    Wazo counts it): only agent logins are. #}
int_agent_login_spans as (
    select
        agent_id,
        logged_in_at,
        logged_out_at,
        is_open
    from {{ ref('int_agent_login_spans') }}
    {%- if not var('membership_counts_as_login') %}
    where not is_membership
    {%- endif %}
),

spans_ordered as (
    select
        *,
        max(logged_out_at) over (
            partition by agent_id order by logged_in_at, logged_out_at
            rows between unbounded preceding and 1 preceding
        ) as previous_logged_out_at
    from int_agent_login_spans
),

spans_grouped as (
    select
        *,
        sum(
            case
                when previous_logged_out_at is null or logged_in_at > previous_logged_out_at
                    then 1
                else 0
            end
        ) over (partition by agent_id order by logged_in_at, logged_out_at) as session_number
    from spans_ordered
)

select
    agent_id,
    session_number,
    min(logged_in_at) as logged_in_at,
    max(logged_out_at) as logged_out_at,
    {#- Still logged in at the end of the data: it ends there for now, not at a logout. #}
    bool_or(is_open) as is_open
from spans_grouped
group by 1, 2
