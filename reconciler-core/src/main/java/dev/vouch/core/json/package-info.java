/** The one JSON configuration every module uses to write and read Vouch's own values. */
@NullMarked
package dev.vouch.core.json;

import org.jspecify.annotations.NullMarked;
