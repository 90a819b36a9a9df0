using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExecutionTrap.Storage.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class Privacy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "CanWrite",
                table: "ApiTokens",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "ExpiresAt",
                table: "ApiTokens",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CanWrite",
                table: "ApiTokens");

            migrationBuilder.DropColumn(
                name: "ExpiresAt",
                table: "ApiTokens");
        }
    }
}
