namespace chrysalis::onset {}
