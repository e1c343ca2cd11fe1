namespace chrysalis::train {}
