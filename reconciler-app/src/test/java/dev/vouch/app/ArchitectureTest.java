package dev.vouch.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of ARCHITECTURE.md, checked on the compiled classes of every module on the app's
 * class path (the Maven enforcer checks the declared dependencies as well).
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.vouch");
  }

  @Test
  void coreImportsNoVendorSdkJdbcHttpClientOrOtherVouchModule() {
    noClasses()
        .that()
        .resideInAPackage("dev.vouch.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "software.amazon..",
            "com.amazonaws..",
            "io.kubernetes..",
            "com.google.cloud..",
            "org.eclipse.jgit..",
            "org.quartz..",
            "java.net.http..",
            "java.sql..",
            "org.flywaydb..",
            "dev.vouch.store..",
            "dev.vouch.app..",
            "dev.vouch.connector..")
        .check(classes);
  }

  @Test
  void connectorsDoNotDependOnEachOther() {
    slices().matching("dev.vouch.connector.(*)..").should().notDependOnEachOther().check(classes);
  }

  @Test
  void connectorsSeeOnlyTheCoreOfVouch() {
    noClasses()
        .that()
        .resideInAPackage("dev.vouch.connector..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.vouch.store..", "dev.vouch.app..", "dev.vouch.core.run..")
        .check(classes);
  }

  @Test
  void theStoreDoesNotKnowConnectorsOrTheApp() {
    noClasses()
        .that()
        .resideInAPackage("dev.vouch.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.vouch.connector..", "dev.vouch.app..")
        .check(classes);
  }
}
