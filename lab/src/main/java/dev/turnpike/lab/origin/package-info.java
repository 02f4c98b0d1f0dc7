/**
 * The lab's protected origin (LAB.md L3 and the origin-side hostile modes of L4): what a site behind Cloudflare
 * answers.
 *
 * <ul>
 *   <li>{@link dev.turnpike.lab.origin.ClearanceGate} lets a request pass on a genuine, live {@code cf_clearance}
 *       bound to its zone, User-Agent and exit IP; anything else gets a challenge page from
 *       {@code ChallengeIssuer}: the 2025 template (403) or the legacy "I'm Under Attack" page (503), each with a
 *       fresh ray and a sealed {@link dev.turnpike.lab.origin.ChallengeMetadata md}.</li>
 *   <li>The page's orchestrate script ({@code /cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1}, never
 *       gated) renders Cloudflare's texts and proves the visitor: a SHA-256 proof of work in a Web Worker
 *       ({@code non-interactive}, legacy), or the lab's Turnstile with the lab challenge sitekey
 *       ({@code managed}, {@code interactive}); then it posts {@code md} and the answer to {@code fa}.</li>
 *   <li>{@code SolveEndpoint} checks {@code md} (genuine, younger than {@code cMTimeMs}, same path, User-Agent and
 *       exit IP) and the answer (proof of work, or the token through the lab's siteverify in process, bound to
 *       the ray and the page), sets {@code cf_clearance} and redirects back: 302, or 303/307 for a POST.</li>
 *   <li>Behind the gate, {@code LabApplication}: {@code /}, {@code /api/echo}, {@code /form}.</li>
 * </ul>
 *
 * <p>{@link dev.turnpike.lab.origin.ProtectedOrigin} does all of this on server-neutral
 * {@link dev.turnpike.lab.origin.OriginRequest}/{@link dev.turnpike.lab.origin.OriginResponse};
 * {@link dev.turnpike.lab.origin.LabOrigin} plugs it into the lab's {@code OriginHandler} seam. Every decision
 * goes to the lab's event log: {@code challengePage.served}, {@code challengePage.rejected} (reason),
 * {@code clearance.issued}, {@code clearance.accepted}, {@code clearance.rejected} (reason).
 */
package dev.turnpike.lab.origin;
