namespace chrysalis::probes {}
