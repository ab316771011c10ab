{#- Distinct callers per period, by how many calls each made in it (1, 2, 3, 4, 5-10, >10).
    Distinct counts do not add up across periods, so each period grain is its own mart. A
    caller is a number in E.164 (however the PBX wrote it); withheld numbers are no caller. -#}
{% macro callers_by_frequency(period_column, period_expression) -%}
with

fct_calls as (
    select
        customer_phone_e164 as caller_number,
        {{ period_expression }} as {{ period_column }}
    from {{ ref('fct_calls') }}
    where customer_phone_e164 is not null and not is_test_call
),

calls_per_caller as (
    select
        {{ period_column }},
        caller_number,
        count(*) as call_count
    from fct_calls
    group by 1, 2
),

callers_banded as (
    select
        *,
        case
            when call_count <= 4 then cast(call_count as {{ dbt.type_string() }})
            when call_count <= 10 then '5-10'
            else '>10'
        end as frequency_band,
        case when call_count <= 4 then call_count when call_count <= 10 then 5 else 11 end
        as frequency_band_order
    from calls_per_caller
),

bands_counted as (
    select
        {{ dbt.concat([dbt.cast(period_column, dbt.type_string()), "'|'", 'frequency_band']) }}
        as period_band_id,
        frequency_band,
        frequency_band_order,
        count(*) as caller_count,
        cast(sum(call_count) as {{ dbt.type_bigint() }}) as call_count,
        {{ period_column }}
    from callers_banded
    group by {{ period_column }}, frequency_band, frequency_band_order
)

select * from bands_counted
{%- endmacro %}
