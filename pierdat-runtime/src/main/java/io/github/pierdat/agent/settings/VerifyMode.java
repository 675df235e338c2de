package io.github.pierdat.agent.settings;

/** How thoroughly the agent checks the artifacts before seeding them ({@code PIERDAT_VERIFY}). */
public enum VerifyMode {
  /** Present, a regular file, and of the recorded size (fast; the default). */
  SIZE,
  /** Also re-hash every byte and compare with the recorded sha256 (reads every artifact once). */
  FULL
}
