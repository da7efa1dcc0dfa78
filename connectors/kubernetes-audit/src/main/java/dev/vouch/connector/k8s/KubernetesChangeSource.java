package dev.vouch.connector.k8s;

import dev.vouch.core.spi.ChangeSource;
import java.time.Duration;

/** What the Kubernetes audit sources share: their platform and how soon a moment has settled. */
interface KubernetesChangeSource extends ChangeSource {

  @Override
  default String platform() {
    return AuditEventMapper.PLATFORM;
  }

  /**
   * The log backend writes as requests end, the webhook backend batches for seconds: five minutes
   * after a moment, its audit events are written.
   */
  @Override
  default Duration settle() {
    return AuditEventMapper.SETTLE;
  }
}
