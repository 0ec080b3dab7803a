/**
 * How many worker threads a function should make rows on.
 *
 * Lambda gives CPU in proportion to memory: one full vCPU at 1,769 MB, up to 6 at 10,240 MB. Below two
 * full vCPUs extra threads only share the same CPU time, so the engine stays on one thread; above, it uses
 * one worker per full vCPU (the calling thread mostly waits on the upload).
 */
export const MEMORY_MB_PER_VCPU = 1769;

export function workersForMemory(memoryMb: number, availableCpus: number): number {
  const fullVcpus = Math.floor(memoryMb / MEMORY_MB_PER_VCPU);
  return fullVcpus < 2 ? 1 : Math.max(1, Math.min(fullVcpus, availableCpus));
}
