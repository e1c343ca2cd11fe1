# CHRYSALIS_SANITIZE=address,undefined (or thread) instruments every target.
set(CHRYSALIS_SANITIZE "" CACHE STRING "Comma-separated sanitizers, e.g. address,undefined")
if(CHRYSALIS_SANITIZE)
  add_compile_options(-fsanitize=${CHRYSALIS_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=${CHRYSALIS_SANITIZE})
endif()
