/**
 * Reads AWS CloudTrail log files from a directory tree (the S3 layout of a trail or an organization
 * trail, as synchronised to disk) or from plain JSON, JSON-lines and EventBridge files, and turns
 * each record into a {@link dev.vouch.core.model.ChangeEvent}. See the module README for settings,
 * accepted inputs, classification and actor rules.
 */
@NullMarked
package dev.vouch.connector.cloudtrail;

import org.jspecify.annotations.NullMarked;
