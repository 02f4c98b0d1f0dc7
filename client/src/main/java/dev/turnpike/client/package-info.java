/**
 * The Java client of the Turnpike task protocol, usable against Turnpike and the commercial services that speak
 * the same protocol (YesCaptcha, EZ-Captcha, Anti-Captcha, CapSolver, CapMonster).
 *
 * <p>{@link dev.turnpike.client.TurnpikeClient} is the entry point. Requests are typed records
 * ({@link dev.turnpike.client.TurnstileTask}, {@link dev.turnpike.client.ChallengeTask}); answers are read
 * tolerantly into typed records ({@link dev.turnpike.client.TurnstileSolution},
 * {@link dev.turnpike.client.ChallengeSolution}); every failure is a
 * {@link dev.turnpike.client.TurnpikeException} carrying the service's {@code errorCode}.
 */
package dev.turnpike.client;
