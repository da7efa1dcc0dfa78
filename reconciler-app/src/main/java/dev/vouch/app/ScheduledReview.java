package dev.vouch.app;

import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/**
 * The Quartz job of {@code vouch serve}: one periodic review. Quartz never runs two of it at once
 * (per job key, and across a cluster with a JDBC job store). The job holds no state: the window
 * comes from the store (where complete coverage ends), never from the fire time, so a firing that
 * comes late or after downtime simply covers more.
 */
@DisallowConcurrentExecution
public final class ScheduledReview implements Job {
  /** Where the running service is found in the scheduler's context. */
  static final String SERVICE = "vouch.service";

  /** The trigger data that names an extra job; absent for the periodic review. */
  static final String JOB = "job";

  /** What a firing of the job calls. */
  interface Service {
    void review(Firing firing);
  }

  /**
   * One firing of the job.
   *
   * @param trigger the trigger's name (the review's own, or Quartz's recovery trigger)
   * @param scheduledFor when the trigger was due
   * @param recovering whether this re-runs a firing whose node died while running it
   * @param job the extra job this firing runs, or null for the periodic review of every source
   */
  record Firing(String trigger, Instant scheduledFor, boolean recovering, @Nullable String job) {}

  public ScheduledReview() {
    // Instantiated by Quartz for every firing.
  }

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    Service service;
    try {
      service = (Service) context.getScheduler().getContext().get(SERVICE);
    } catch (SchedulerException e) {
      throw new JobExecutionException("the scheduler's context is unavailable", e, false);
    }
    if (service == null) {
      throw new JobExecutionException("no Vouch service is registered with this scheduler");
    }
    service.review(
        new Firing(
            context.getTrigger().getKey().getName(),
            context.getScheduledFireTime().toInstant(),
            context.isRecovering(),
            context.getMergedJobDataMap().getString(JOB)));
  }
}
