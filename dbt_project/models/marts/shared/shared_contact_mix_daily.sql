{#- mart_contact_mix_daily for readers outside the contact center: cases per day, channel
    and contact type. It holds no person's data, so it is the mart as it is. -#}

select * from {{ ref('mart_contact_mix_daily') }}
