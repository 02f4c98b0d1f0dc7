// Solves one Turnstile with 2Captcha's SDK exactly as its README shows, then reports it good; prints one JSON line.
// Run with: TURNPIKE_2CAPTCHA_URL=… KEY=… PAGEURL=… SITEKEY=… [ACTION=…] [DATA=…]
//           node --require ./point-at-turnpike.cjs solve.cjs
'use strict';
const { Solver } = require('@2captcha/captcha-solver');

(async () => {
  const solver = new Solver(process.env.KEY, 500);
  const before = await solver.balance();
  const params = { pageurl: process.env.PAGEURL, sitekey: process.env.SITEKEY };
  if (process.env.ACTION) params.action = process.env.ACTION;
  if (process.env.DATA) params.data = process.env.DATA;
  const answer = await solver.cloudflareTurnstile(params);
  const report = await solver.goodReport(answer.id);
  const after = await solver.balance();
  console.log(JSON.stringify({ before, after, id: answer.id, token: answer.data, useragent: answer.useragent, report }));
})().catch((e) => {
  console.error('SDK error: ' + (e && (e.err || e.message)));
  process.exit(1);
});
