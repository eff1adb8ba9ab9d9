package io.github.rip.packaging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Hand-made minimal .xlsx files: one sheet, header row mixing shared and inline strings, one data row. */
final class Workbooks {

    private Workbooks() {
    }

    static byte[] minimal(String sheetName, List<String> header) throws IOException {
        StringBuilder cells = new StringBuilder();
        StringBuilder shared = new StringBuilder();
        for (int i = 0; i < header.size(); i++) {
            String ref = (char) ('A' + i) + "1";
            if (i % 2 == 0) { // even columns via sharedStrings.xml (with a phonetic run to ignore), odd inline
                cells.append("<c r=\"").append(ref).append("\" t=\"s\"><v>").append(i / 2).append("</v></c>");
                shared.append("<si><t>").append(header.get(i)).append("</t><rPh sb=\"0\" eb=\"1\"><t>x</t></rPh>")
                        .append("</si>");
            } else {
                cells.append("<c r=\"").append(ref).append("\" t=\"inlineStr\"><is><t>").append(header.get(i))
                        .append("</t></is></c>");
            }
        }
        String main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        String rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, "xl/workbook.xml", "<workbook xmlns=\"" + main + "\" xmlns:r=\"" + rel + "\"><sheets>"
                    + "<sheet name=\"" + sheetName + "\" sheetId=\"1\" r:id=\"rId7\"/>"
                    + "<sheet name=\"Other\" sheetId=\"2\" r:id=\"rId8\"/></sheets></workbook>");
            put(zip, "xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package"
                    + "/2006/relationships\"><Relationship Id=\"rId8\" Target=\"worksheets/sheet2.xml\"/>"
                    + "<Relationship Id=\"rId7\" Target=\"/xl/worksheets/sheet1.xml\"/></Relationships>");
            put(zip, "xl/worksheets/sheet1.xml", "<worksheet xmlns=\"" + main + "\"><sheetData><row r=\"1\">"
                    + cells + "</row><row r=\"2\"><c r=\"A2\"><v>42</v></c></row></sheetData></worksheet>");
            put(zip, "xl/sharedStrings.xml", "<sst xmlns=\"" + main + "\">" + shared + "</sst>");
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, String xml) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(xml.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
