/* Test environment only, never shipped: Wine 8.0 (Debian 12) lacks
 * ProcessPrng in bcryptprimitives.dll, which Go 1.22+ binaries call at
 * start-up. This stand-in fills the buffer with RtlGenRandom. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
	while (length > 0) {
		ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		length -= n;
	}
	return TRUE;
}
