// A repository that declares a container-serverless service for its own image (Terraform Cloud Run /
// App Runner, a Knative service.yaml, apprunner.yaml) has a way onto a function platform (RUBRIC rule 6).
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const django = {
  'requirements.txt': 'django==5.0\ngunicorn==22.0.0\npsycopg2-binary==2.9\n',
  'manage.py': 'import django\n',
  Procfile: 'web: gunicorn site.wsgi\n',
};
const cloudRunTf = 'provider "google" {}\n\nresource "google_cloud_run_v2_service" "app" {\n  template {\n    containers { image = "docker.io/me/app:latest" }\n  }\n}\n';

describe('container-serverless targets the repository declares', () => {
  it('a Terraform Cloud Run service is the way in, with its file:line', () => {
    const a = analyzeRepository(snapshot({ ...django, 'terraform/gcp/main.tf': cloudRunTf }));
    expect(a.serverlessAdapter).toEqual({ name: 'Cloud Run service', source: 'terraform/gcp/main.tf:3' });
  });

  it('App Runner from Terraform or apprunner.yaml, Cloud Run from a Knative service.yaml', () => {
    const tf = analyzeRepository(snapshot({ ...django, 'infra/main.tf': 'resource "aws_apprunner_service" "web" {\n}\n' }));
    expect(tf.serverlessAdapter).toEqual({ name: 'App Runner service', source: 'infra/main.tf:1' });
    const yaml = analyzeRepository(snapshot({ ...django, 'apprunner.yaml': 'version: 1.0\nruntime: python3\nrun:\n  command: gunicorn site.wsgi\n' }));
    expect(yaml.serverlessAdapter).toEqual({ name: 'App Runner service', source: 'apprunner.yaml:2' });
    const knative = analyzeRepository(snapshot({ ...django, 'deploy/service.yaml': 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: app\n' }));
    expect(knative.serverlessAdapter).toEqual({ name: 'Cloud Run service', source: 'deploy/service.yaml:1' });
  });

  it('a Terraform service beside the only app folder runs that app', () => {
    const a = analyzeRepository(snapshot({
      'petclinic/pom.xml': '<project>\n  <dependencies>\n    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>\n  </dependencies>\n</project>\n',
      'petclinic/Dockerfile': 'FROM eclipse-temurin:21\nADD target/app.jar app.jar\nEXPOSE 80\nENTRYPOINT java -jar /app.jar\n',
      'terraform/services.tf': 'resource "aws_apprunner_service" "web" {\n}\n',
    }));
    expect(a.monorepo?.chosen).toBe('petclinic');
    expect(a.serverlessAdapter).toEqual({ name: 'App Runner service', source: 'terraform/services.tf:1' });
  });

  it('other Terraform, a Knative non-Service, or a target under examples/ is not', () => {
    expect(analyzeRepository(snapshot({ ...django, 'main.tf': 'resource "google_sql_database_instance" "db" {\n}\n' })).serverlessAdapter).toBeUndefined();
    expect(analyzeRepository(snapshot({ ...django, 'eventing.yaml': 'apiVersion: serving.knative.dev/v1\nkind: Route\n' })).serverlessAdapter).toBeUndefined();
    expect(analyzeRepository(snapshot({ ...django, 'examples/cloudrun/main.tf': cloudRunTf })).serverlessAdapter).toBeUndefined();
  });
});
