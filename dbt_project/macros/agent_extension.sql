{#- The extension in a queue_log agent interface ('PJSIP/1004', 'Agent/1004',
    'Local/1004@from-queue/n'), which the CRM's User.Extension holds; the text itself when it
    has no technology prefix. -#}
{% macro agent_extension(agent) -%}
    coalesce(nullif(regexp_extract({{ agent }}, '^[^/]+/([^@/]+)', 1), ''), {{ agent }})
{%- endmacro %}
