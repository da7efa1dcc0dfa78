/**
 * Reads Kubernetes audit events ({@code audit.k8s.io/v1}) from the API server's log backend (JSON
 * lines, rotated and gzipped files) and from its webhook backend (through a durable spool), and
 * turns each into a {@link dev.vouch.core.model.ChangeEvent}. {@link AuditEventMapper#map} is the
 * one mapping every Kubernetes source uses. See the module README for settings, accepted input,
 * classification, actors and cursor semantics.
 */
@NullMarked
package dev.vouch.connector.k8s;

import org.jspecify.annotations.NullMarked;
