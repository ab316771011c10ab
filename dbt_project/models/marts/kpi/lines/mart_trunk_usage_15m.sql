{#- Trunk usage per trunk, direction and 15-minute interval (metric contract, lines and
    cost): attempts (legs starting in the interval), failures (BUSY, FAILED, CONGESTION) and
    the exact peak of simultaneous calls, counted from the legs' start and end times (a leg
    holds the trunk over [start, end)), with the configured capacity (var trunks) for
    occupancy = peak / capacity. Direction `all` counts both directions together: its peak is
    the trunk's, not the sum of the two directions' peaks. Every interval from a trunk's first
    call to its last has a row, idle ones with zeros. -#}

with

int_trunk_legs as (
    select * from {{ ref('int_trunk_legs') }}
),

legs as (
    select
        call_leg_id,
        trunk_id,
        direction,
        is_failure,
        started_at,
        ended_at
    from int_trunk_legs
    union all
    select
        call_leg_id,
        trunk_id,
        'all' as direction,
        is_failure,
        started_at,
        ended_at
    from int_trunk_legs
),

intervals as (
    select
        trunk_id,
        direction,
        cast(interval_start.interval_start_at as timestamp) as interval_start_at
    from (
        select
            trunk_id,
            direction,
            min({{ floor_to_15m('started_at') }}) as first_interval_at,
            max({{ floor_to_15m('ended_at') }}) as last_interval_at
        from legs
        group by 1, 2
    ) as spans
    cross join unnest(
        generate_series(spans.first_interval_at, spans.last_interval_at, interval 15 minute)
    ) as interval_start (interval_start_at)
),

{# +1 when a leg takes the trunk, -1 when it frees it, 0 at each interval's start; netted
    per instant, so that the level at an instant counts every leg holding the trunk then
    (a leg ending when another starts is not counted twice). #}
changes as (
    select
        trunk_id,
        direction,
        ended_at as changed_at,
        -1 as delta
    from legs
    union all
    select
        trunk_id,
        direction,
        interval_start_at as changed_at,
        0 as delta
    from intervals
    union all
    select
        trunk_id,
        direction,
        started_at as changed_at,
        1 as delta
    from legs
),

net_changes as (
    select
        trunk_id,
        direction,
        changed_at,
        sum(delta) as delta
    from changes
    group by 1, 2, 3
),

concurrency as (
    select
        trunk_id,
        direction,
        {{ floor_to_15m('changed_at') }} as interval_start_at,
        sum(delta) over (
            partition by trunk_id, direction
            order by changed_at
            rows between unbounded preceding and current row
        ) as concurrent_calls
    from net_changes
),

peaks as (
    select
        trunk_id,
        direction,
        interval_start_at,
        max(concurrent_calls) as peak_concurrent_calls
    from concurrency
    group by 1, 2, 3
),

attempts as (
    select
        trunk_id,
        direction,
        {{ floor_to_15m('started_at') }} as interval_start_at,
        count(*) as attempt_count,
        count(case when is_failure then 1 end) as failure_count
    from legs
    group by 1, 2, 3
),

trunks as (
    {%- for trunk in var('trunks') %}
    select '{{ trunk.trunk_id }}' as trunk_id, {{ trunk.capacity }} as capacity
    {{- '\n    union all' if not loop.last }}
    {%- else %}
        select
            cast(null as varchar) as trunk_id,
            cast(null as integer) as capacity
    {%- endfor %}
)

select
    intervals.trunk_id,
    intervals.direction,
    intervals.interval_start_at,
    {{ to_center_local('intervals.interval_start_at') }} as interval_start_at_local,
    cast({{ to_center_local('intervals.interval_start_at') }} as date) as local_date,
    coalesce(attempts.attempt_count, 0) as attempt_count,
    coalesce(attempts.failure_count, 0) as failure_count,
    cast(peaks.peak_concurrent_calls as integer) as peak_concurrent_calls,
    trunks.capacity
from intervals
inner join peaks
    on
        intervals.trunk_id = peaks.trunk_id
        and intervals.direction = peaks.direction
        and intervals.interval_start_at = peaks.interval_start_at
left join attempts
    on
        intervals.trunk_id = attempts.trunk_id
        and intervals.direction = attempts.direction
        and intervals.interval_start_at = attempts.interval_start_at
left join trunks
    on intervals.trunk_id = trunks.trunk_id
