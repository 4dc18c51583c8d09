/*
 * Test-environment check only, never shipped: .ci/windows/setup runs this
 * under Wine to prove that bcryptprimitives.dll loads from the prefix and
 * that its ProcessPrng fills a buffer, the way Rust's std calls it.
 */
#include <stdio.h>
#include <windows.h>

typedef BOOL(WINAPI *process_prng_fn)(PBYTE, SIZE_T);

int main(void)
{
    HMODULE dll = LoadLibraryA("bcryptprimitives.dll");
    if (!dll) {
        printf("prng-check: bcryptprimitives.dll does not load (error %lu)\n", GetLastError());
        return 2;
    }
    process_prng_fn prng = (process_prng_fn)(void *)GetProcAddress(dll, "ProcessPrng");
    if (!prng) {
        printf("prng-check: bcryptprimitives.dll has no ProcessPrng\n");
        return 3;
    }
    BYTE buf[64] = {0};
    if (!prng(buf, sizeof buf)) {
        printf("prng-check: ProcessPrng returned FALSE\n");
        return 4;
    }
    int nonzero = 0;
    for (size_t i = 0; i < sizeof buf; i++)
        nonzero += buf[i] != 0;
    if (nonzero < 32) {
        printf("prng-check: ProcessPrng left %d of 64 bytes zero\n", 64 - nonzero);
        return 5;
    }
    printf("prng-check: ok\n");
    return 0;
}
