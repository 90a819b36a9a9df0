using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExecutionTrap.Storage.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class Identity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leaders_Email",
                table: "Leaders");

            migrationBuilder.AddColumn<string>(
                name: "IdentityIssuer",
                table: "Leaders",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IdentitySubject",
                table: "Leaders",
                type: "character varying(320)",
                maxLength: 320,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Leaders_Email",
                table: "Leaders",
                column: "Email");

            migrationBuilder.CreateIndex(
                name: "IX_Leaders_IdentityIssuer_IdentitySubject",
                table: "Leaders",
                columns: new[] { "IdentityIssuer", "IdentitySubject" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Leaders_Email",
                table: "Leaders");

            migrationBuilder.DropIndex(
                name: "IX_Leaders_IdentityIssuer_IdentitySubject",
                table: "Leaders");

            migrationBuilder.DropColumn(
                name: "IdentityIssuer",
                table: "Leaders");

            migrationBuilder.DropColumn(
                name: "IdentitySubject",
                table: "Leaders");

            migrationBuilder.CreateIndex(
                name: "IX_Leaders_Email",
                table: "Leaders",
                column: "Email",
                unique: true);
        }
    }
}
