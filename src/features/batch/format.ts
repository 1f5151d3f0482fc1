/** Whole numbers with thousands separators, as the e2e tests read them ("20,000 rows read"). */
export const fmtInt = (n: number) => n.toLocaleString('en-US');
