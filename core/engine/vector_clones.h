#pragma once
// CHRYSALIS_VECTOR_CLONES: on x86-64 with GCC, a function also gets a copy
// built for x86-64-v3 (AVX2 with FMA), picked at load time when the CPU has
// those features; the project's default target is baseline x86-64 (SSE2).
// Not "arch=haswell": that clone is chosen by CPU model, so AMD processors
// would never get it. Measured (2-core AMD EPYC VM): the vocabulary's
// log-sum-exp 0.67 ms with an AVX2-only clone, 0.50 ms with v3's FMA.
// Not under ThreadSanitizer: the clones' resolver runs while the dynamic
// loader relocates, before TSan's runtime is up, and its instrumented entry
// crashes the process (tsan-engine's test_probes died at start-up).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define CHRYSALIS_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define CHRYSALIS_VECTOR_CLONES
#endif
