/*
 * Test-environment fix only: this DLL is never shipped with tiski.
 *
 * Rust's std (1.78 and later) imports ProcessPrng from bcryptprimitives.dll
 * on Windows. Wine 8 (Debian 12) has no bcryptprimitives.dll at all, so every
 * Rust .exe fails to load under it (status c0000135, exit code 53). This
 * stand-in exports ProcessPrng and fills the buffer from RtlGenRandom
 * (advapi32!SystemFunction036), which Wine 8 does have. .ci/windows/setup
 * builds it with x86_64-w64-mingw32-gcc and copies it into the Wine prefix's
 * system32; the real Windows DLL is used on real Windows.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    /* RtlGenRandom takes a ULONG length; feed larger requests in pieces. */
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    /* The real ProcessPrng always returns TRUE. */
    return TRUE;
}
