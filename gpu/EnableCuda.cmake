# Included from the top-level CMakeLists.txt (CUDA must be enabled in the
# directory that holds every target linking CUDA code, tests included).
# Enables the CUDA language when a CUDA compiler is found; LibTorch need not
# have CUDA, since the kernels take raw device pointers. Sets
# CHRYSALIS_HAVE_CUDA.
set(CHRYSALIS_HAVE_CUDA OFF)
include(CheckLanguage)
check_language(CUDA)
if(NOT CMAKE_CUDA_COMPILER)
  message(STATUS "gpu/: no CUDA compiler found; the engine is built for the CPU only")
  return()
endif()

# Architectures: CMAKE_CUDA_ARCHITECTURES as given on the command line (or
# CUDAARCHS), else sm_90 code plus compute_90 PTX (which later GPUs
# JIT-compile) and the real architecture of every GPU visible now. CMake's
# own "native" value cannot be combined with a list in CMake 3.24/3.25 and
# fails where no GPU is visible, so the visible GPUs are asked directly
# (nvidia-smi); without one nothing is added and configuration carries on.
# The result is kept in CHRYSALIS_CUDA_ARCHITECTURES and set on the gpu/
# targets, since LibTorch's CMake config may have overridden the variable.
if(DEFINED CACHE{CMAKE_CUDA_ARCHITECTURES})
  set(_chrysalis_archs "$CACHE{CMAKE_CUDA_ARCHITECTURES}")
elseif(DEFINED ENV{CUDAARCHS})
  set(_chrysalis_archs "$ENV{CUDAARCHS}")
else()
  set(_chrysalis_archs 90-real 90-virtual)
  find_program(CHRYSALIS_NVIDIA_SMI nvidia-smi)
  mark_as_advanced(CHRYSALIS_NVIDIA_SMI)
  if(CHRYSALIS_NVIDIA_SMI)
    execute_process(COMMAND "${CHRYSALIS_NVIDIA_SMI}" --query-gpu=compute_cap --format=csv,noheader
                    RESULT_VARIABLE _rc OUTPUT_VARIABLE _caps ERROR_QUIET
                    OUTPUT_STRIP_TRAILING_WHITESPACE TIMEOUT 30)
    if(_rc EQUAL 0)
      string(REPLACE "\n" ";" _caps "${_caps}")
      foreach(_cap IN LISTS _caps)
        string(STRIP "${_cap}" _cap)
        string(REPLACE "." "" _cap "${_cap}")
        if(_cap MATCHES "^[0-9]+$" AND NOT "${_cap}-real" IN_LIST _chrysalis_archs)
          list(APPEND _chrysalis_archs "${_cap}-real")
        endif()
      endforeach()
    endif()
  endif()
  set(CMAKE_CUDA_ARCHITECTURES "${_chrysalis_archs}" CACHE STRING
      "CUDA architectures for gpu/ (default: 90-real;90-virtual plus the visible GPUs)")
endif()
set(CHRYSALIS_CUDA_ARCHITECTURES "${_chrysalis_archs}")
set(CMAKE_CUDA_ARCHITECTURES "${_chrysalis_archs}")

enable_language(CUDA)
find_package(CUDAToolkit REQUIRED)
set(CHRYSALIS_HAVE_CUDA ON)
