package io.github.rip; public class RecurringIntegrationsPack { public static void main(String[] a){} }
