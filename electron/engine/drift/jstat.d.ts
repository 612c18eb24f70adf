/** The two jStat distributions the drift tests use (the package ships no types). */
declare module 'jstat' {
  interface JStat {
    chisquare: { cdf(x: number, degreesOfFreedom: number): number };
    normal: { cdf(x: number, mean: number, std: number): number };
  }
  const jstat: { jStat: JStat };
  export default jstat;
}
