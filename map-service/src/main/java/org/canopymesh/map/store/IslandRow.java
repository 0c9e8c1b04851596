package org.canopymesh.map.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An island as last computed, so that its id and name survive a restart. */
@Entity
@Table(name = "island")
public class IslandRow extends PanacheEntityBase {
  @Id public String id;

  @Column(nullable = false)
  public String name;

  @Column(nullable = false)
  public boolean declared;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(nullable = false, columnDefinition = "text[]")
  public String[] members;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;
}
