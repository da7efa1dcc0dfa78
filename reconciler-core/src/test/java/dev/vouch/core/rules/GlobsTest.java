package dev.vouch.core.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobsTest {

  @ParameterizedTest
  @CsvSource({
    "DeleteTrail, DeleteTrail, true",
    "deletetrail, DeleteTrail, true",
    "Delete*, DeleteTrail, true",
    "*Trail, DeleteTrail, true",
    "*let*ra*, DeleteTrail, true",
    "D?lete*, DeleteTrail, true",
    "*, x, true",
    "**, x, true",
    "Delete, DeleteTrail, false",
    "*Trails, DeleteTrail, false",
    "?eleteTrail?, DeleteTrail, false",
    "a*b*c, aXbYbZc, true",
    "a*b*c, aXbYbZ, false",
    "arn:aws:iam::*:role/break-glass, arn:aws:iam::111122223333:role/break-glass, true",
    "arn:aws:iam::*:role/break-glass, arn:aws:iam::111122223333:role/break-glass-2, false",
    "*.amazonaws.com, ec2.AMAZONAWS.com, true",
    "ÉTÉ*, été-2026, true",
    "a.c, abc, false",
    "a+c, a+c, true",
    "[ab], [ab], true"
  })
  void matchesWholeValuesIgnoringCaseWithStarAndQuestionMark(
      String pattern, String value, boolean expected) {
    assertThat(Globs.matches(pattern, value)).as(pattern + " ~ " + value).isEqualTo(expected);
  }

  @Test
  void aNullOrEmptyValueMatchesNothingNotEvenAStar() {
    assertThat(Globs.anyMatch(null, List.of("*"))).isFalse();
    assertThat(Globs.anyMatch("", List.of("*"))).isFalse();
    assertThat(Globs.anyMatch("x", List.of("y", "x*"))).isTrue();
  }
}
