/**
 * How many worker threads a function should make rows on.
 *
 * Lambda gives CPU in proportion to memory: one full vCPU at 1,769 MB, up to 6 at 10,240 MB. The calling
 * thread keeps one vCPU for the upload (spooling, HTTP, checksums), and the workers get the others: with
 * fewer than three full vCPUs the rows stay on the calling thread. (Measured on a 2-core machine: two
 * workers beside the uploading thread made rows slower than one thread alone.)
 */
export const MEMORY_MB_PER_VCPU = 1769;

export function workersForMemory(memoryMb: number, availableCpus: number): number {
  const vcpus = Math.min(Math.floor(memoryMb / MEMORY_MB_PER_VCPU), availableCpus);
  return vcpus < 3 ? 1 : vcpus - 1;
}
