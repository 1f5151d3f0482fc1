declare module 'virtual:prognos-domains' {
  import type { DomainSpec } from '@/domain/domain-spec';

  /** Every domain declaration, validated at build and converted (src/build/domain-specs.ts). */
  const specs: readonly DomainSpec[];
  export default specs;
}
