<?xml version="1.0" encoding="UTF-8"?>
<!--
  Partner vendor-group list -> D365 "Vendor groups" entity in XML-Element format:
  <Document><VENDORGROUP><VENDORGROUPID/><DESCRIPTION/>...</VENDORGROUP>...</Document>
  Input: <VendorGroups><Group code="..." terms="..."><Name>...</Name></Group>...</VendorGroups>
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
    <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

    <xsl:template match="/VendorGroups">
        <Document>
            <xsl:apply-templates select="Group"/>
        </Document>
    </xsl:template>

    <xsl:template match="Group">
        <VENDORGROUP>
            <VENDORGROUPID><xsl:value-of select="normalize-space(@code)"/></VENDORGROUPID>
            <DESCRIPTION><xsl:value-of select="normalize-space(Name)"/></DESCRIPTION>
            <DEFAULTPAYMENTTERMNAME><xsl:value-of select="normalize-space(@terms)"/></DEFAULTPAYMENTTERMNAME>
        </VENDORGROUP>
    </xsl:template>
</xsl:stylesheet>
