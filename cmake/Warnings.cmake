# Warnings as an INTERFACE target that every project target links.
add_library(chrysalis_warnings INTERFACE)
add_library(chrysalis::warnings ALIAS chrysalis_warnings)
target_compile_options(chrysalis_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wnon-virtual-dtor -Wno-unused-parameter>
  $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>)
option(CHRYSALIS_WERROR "Treat warnings as errors" OFF)
if(CHRYSALIS_WERROR)
  target_compile_options(chrysalis_warnings INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-Werror>)
endif()
