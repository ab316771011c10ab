{#- Every version of every CRM User with the attributes the agent dimension tracks. Versions
    that change none of them (a new password, a login) are dropped, so that each row left
    starts a new period of the agent's history (dim_agents gives the periods their ends). -#}

with

stg_crm__records as (
    select * from {{ ref('stg_crm__records') }}
    where crm_object = 'User'
),

user_versions as (
    select
        crm_record_id as crm_user_id,
        {{ crm_text('Extension') }} as extension,
        {{ crm_text('Name') }} as agent_name,
        {{ crm_text('Username') }} as username,
        {{ crm_text('Department') }} as team_name,
        {{ crm_text('Division') }} as site_name,
        {{ crm_text('ManagerId') }} as manager_user_id,
        {{ crm_date('CreatedDate') }} as hired_date,
        {#- A deleted User is an agent who left. #}
        coalesce({{ crm_boolean('IsActive') }}, true) and not is_deleted as is_active,
        {{ crm_custom_columns('User', 'user') }}
        version_at,
        loaded_at,
        source_file,
        line_number
    from stg_crm__records
),

{%- set tracked = dbt.concat([
    "coalesce(extension, '')", "'|'", "coalesce(agent_name, '')", "'|'",
    "coalesce(team_name, '')", "'|'", "coalesce(site_name, '')", "'|'",
    "coalesce(manager_user_id, '')", "'|'", "cast(is_active as varchar)"
]) %}

versions_compared as (
    select
        *,
        {#- In parentheses: sqlfluff's duckdb dialect parses `is distinct from` only there. #}
        (
            {{ tracked }} is distinct from lag({{ tracked }}) over (
                partition by crm_user_id order by version_at, loaded_at, source_file, line_number
            )
        ) as is_change
    from user_versions
)

select * from versions_compared
where is_change
