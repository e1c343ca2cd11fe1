namespace chrysalis::text {}
