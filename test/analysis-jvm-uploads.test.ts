// A Spring controller that moves the uploaded MultipartFile onto a File it built a line earlier
// (`File dest = new File(UPLOAD_DIR + name); file.transferTo(dest);`): the images live in a folder on the
// server's disk, even when the records are in MySQL.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const pom = '<project>\n  <dependencies>\n    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>\n    <dependency><groupId>mysql</groupId><artifactId>mysql-connector-java</artifactId></dependency>\n  </dependencies>\n</project>\n';
const controller = (body: string) =>
  `package org.example;\n\nimport org.springframework.web.multipart.MultipartFile;\n\npublic class UploadController {\n  public String upload(MultipartFile file) throws Exception {\n${body}\n    return "ok";\n  }\n}\n`;
const app = (body: string) => analyzeRepository(snapshot({ 'pom.xml': pom, 'src/main/resources/application.properties': 'spring.datasource.url=jdbc:mysql://localhost:3306/blog\n', 'src/main/java/org/example/UploadController.java': controller(body) }));

describe('a MultipartFile moved onto a File or Path variable', () => {
  it('keeps the uploads on local disk', () => {
    const a = app('    File destFile = new File(Constants.FILE_UPLOAD_DIC + name);\n    file.transferTo(destFile);');
    expect(a.stateful).toEqual(['mysql']);
    expect(a.localState).toEqual([{ name: 'uploads on local disk (a MultipartFile moved to a local File)', source: 'src/main/java/org/example/UploadController.java:8' }]);
    expect(app('    Path target = Paths.get(uploadDir, name);\n    file.transferTo(target);').localState?.map((s) => s.source)).toEqual(['src/main/java/org/example/UploadController.java:8']);
  });

  it('does not when the destination is a temporary file or not a local path', () => {
    expect(app('    File tmp = File.createTempFile("up", ".bin");\n    file.transferTo(tmp);\n    parser.parse(tmp);').localState ?? []).toEqual([]);
    expect(app('    OutputStream out = bucket.open(name);\n    file.transferTo(out);').localState ?? []).toEqual([]);
  });
});
