/*
 * cpus.c - how many processors the worker pools (key generation's prime
 * race, the bulk file check) may use.
 */
#include "config.h"

#include <sched.h>
#include <unistd.h>

#include "core.h"

int
vk_cpus(int max)
{
	long n = 0;
#ifdef CPU_COUNT
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
#endif
	if (n < 1)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > max ? max : (int)n;
}
