{#- Rows of the CTE `rows` summed by `dimensions`, groups too small to share merged: a group
    with fewer than var shared_min_group_calls of `size_column`, or with agents but fewer
    than var shared_min_group_agents distinct `agent_column` values, goes into one Other row
    per `kept` value (its dimensions 'Other', or null for those in `nulled`); an Other row
    still too small is suppressed. `measures` are summed as bigint. -#}
{% macro small_groups_merged(rows, kept, dimensions, nulled, measures, size_column, agent_column=none) %}
{%- set grouping = kept + dimensions %}
group_sizes as (
    select
        {%- for column in grouping %}
        {{ column }},
        {%- endfor %}
        {{ is_small_group(rows, size_column, agent_column) }} as is_small
    from {{ rows }}
    group by {% for column in grouping %}{{ loop.index }}{{ ', ' if not loop.last }}{% endfor %}
),

rows_merged as (
    select
        {%- for column in kept %}
        {{ rows }}.{{ column }},
        {%- endfor %}
        {%- for column in dimensions %}
        case when group_sizes.is_small then {{ 'null' if column in nulled else "'Other'" }}
            else {{ rows }}.{{ column }} end as {{ column }},
        {%- endfor %}
        {%- if agent_column %}
        {{ rows }}.{{ agent_column }},
        {%- endif %}
        {%- for column in measures %}
        {{ rows }}.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ rows }}
    inner join group_sizes
        on
            {%- for column in grouping %}
            {{ rows }}.{{ column }} is not distinct from group_sizes.{{ column }}
            {{- ' and' if not loop.last }}
            {%- endfor %}
),

groups_shared as (
    select
        {%- for column in grouping %}
        {{ column }},
        {%- endfor %}
        {%- for column in measures %}
        cast(sum({{ column }}) as {{ dbt.type_bigint() }}) as {{ column }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from rows_merged
    group by {% for column in grouping %}{{ loop.index }}{{ ', ' if not loop.last }}{% endfor %}
    having not ({{ is_small_group('rows_merged', size_column, agent_column) }})
)
{% endmacro %}

{#- Whether a group of `relation`'s rows is too small to share (macro small_groups_merged). -#}
{% macro is_small_group(relation, size_column, agent_column) -%}
    sum({{ relation }}.{{ size_column }}) < {{ var('shared_min_group_calls') }}
    {%- if agent_column %}
    or count(distinct {{ relation }}.{{ agent_column }})
    between 1 and {{ var('shared_min_group_agents') }} - 1
    {%- endif %}
{%- endmacro %}
