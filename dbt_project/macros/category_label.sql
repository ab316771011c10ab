{#- Display labels of the marts' categories (what readers see in Superset beside the code,
    which stays the mart's key and the value the tests and checks compare), defined here
    only: category -> (code, label) in the order readers expect. -#}
{% macro category_labels() -%}
    {{ return({
        'final_outcome': [
            ('answered', 'Answered'), ('abandoned', 'Abandoned'),
            ('short_abandoned', 'Short abandon'), ('timeout', 'Timed out'),
            ('exit_key', 'Left by key'), ('exit_empty', 'Left, no agents'),
            ('join_rejected', 'Refused at entry'), ('closed', 'Queue closed'),
            ('diverted', 'Diverted'), ('in_queue', 'Still in queue'), ('unknown', 'Unknown'),
        ],
        'repeat_status': [
            ('repeat', 'Repeated'), ('not_repeat', 'Not repeated'), ('pending', 'Pending'),
        ],
        'fcr_status': [
            ('resolved', 'Resolved'), ('not_resolved', 'Not resolved'), ('pending', 'Pending'),
        ],
        'customer_source': [
            ('crm', 'CRM contact'), ('phone', 'Phone-only caller'), ('withheld', 'Withheld number'),
        ],
    }) }}
{%- endmacro %}

{#- The display label of `column`'s code in `category` (category_labels); a code without
    a label shows as it is, null stays null. -#}
{% macro category_label(column, category) -%}
    case {{ column }}
        {%- for code, label in category_labels()[category] %}
        when '{{ code }}' then '{{ label }}'
        {%- endfor %}
        else {{ column }}
    end
{%- endmacro %}
