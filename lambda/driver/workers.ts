/**
 * How many worker threads a function should make rows on.
 *
 * Lambda gives CPU in proportion to memory: one full vCPU at 1,769 MB, up to 6 at 10,240 MB. The calling
 * thread keeps one vCPU for the upload (spooling, HTTP, checksums), and the workers get the others: with
 * fewer than three full vCPUs the rows stay on the calling thread. (Measured on a 2-core machine: two
 * workers beside the uploading thread made rows slower than one thread alone.)
 */
export const MEMORY_MB_PER_VCPU = 1769;

/** Full vCPUs of a function of `memoryMb`, never more than the machine's CPUs. */
function fullVcpus(memoryMb: number, availableCpus: number): number {
  return Math.min(Math.floor(memoryMb / MEMORY_MB_PER_VCPU), availableCpus);
}

export function workersForMemory(memoryMb: number, availableCpus: number): number {
  const vcpus = fullVcpus(memoryMb, availableCpus);
  return vcpus < 3 ? 1 : vcpus - 1;
}

/**
 * Whether a function whose rows stay on one thread compresses Parquet pages on a second one: with two full vCPUs
 * (3,538 MB to 5,306 MB), where the second would otherwise only upload. Below, the second thread would take its time
 * from the rows (Lambda reports two CPUs at any memory size, but gives a 128 MB function a twelfth of one).
 */
export function compressionThreadForMemory(memoryMb: number, availableCpus: number): boolean {
  return fullVcpus(memoryMb, availableCpus) >= 2;
}
