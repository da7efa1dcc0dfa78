/**
 * Benchmark harness: a deterministic generator of a month of organisation-trail CloudTrail logs
 * with its change log and expected verdicts ({@link dev.vouch.bench.CloudTrailMonthGenerator}), and
 * a checker that compares Vouch's findings with them ({@link dev.vouch.bench.FindingsChecker}).
 * Depends on no Vouch module, so the expectations cannot inherit Vouch's behaviour.
 */
package dev.vouch.bench;
