package dev.vouch.core.model;

/**
 * One control test applied to a matched record.
 *
 * @param name a stable id, such as {@code approval-before-change} or {@code segregation-of-duties}
 * @param passed whether the control held
 * @param detail what was compared, in words an auditor can check
 */
public record ControlCheck(String name, boolean passed, String detail) {}
