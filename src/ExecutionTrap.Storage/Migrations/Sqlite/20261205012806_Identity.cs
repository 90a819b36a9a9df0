using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ExecutionTrap.Storage.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IdentitySubject",
                table: "Leaders",
                type: "TEXT",
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
